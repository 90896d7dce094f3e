//! A throwaway PostgreSQL server for test suites: a cluster made with `initdb` in a temporary
//! folder, listening on a free loopback port, one fresh database per test. It runs under a
//! small shell that waits on a pipe from this process: when the test binary exits, however it
//! exits, the pipe closes, and the shell stops the server and deletes its folder.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

struct Cluster {
    port: u16,
    folder: PathBuf,
    supervisor: Mutex<Child>,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();
static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// The folder with `initdb` and `postgres`: `COPYDESK_PG_BIN`, or Debian's newest.
fn binaries() -> PathBuf {
    if let Some(bin) = std::env::var_os("COPYDESK_PG_BIN") {
        return PathBuf::from(bin);
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is installed (scripts/install-deps installs it)")
        .filter_map(|entry| entry.ok().map(|entry| entry.path().join("bin")))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().expect("a PostgreSQL server in /usr/lib/postgresql/*/bin")
}

fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().map(|id| id.stdout == b"0\n").unwrap_or(false)
}

/// A command run as the `postgres` account when we are root: the server refuses to run as root.
fn as_server_user(program: &Path) -> Command {
    if running_as_root() {
        let mut command = Command::new("setpriv");
        command.args(["--reuid=postgres", "--regid=postgres", "--init-groups", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

fn start() -> Cluster {
    let bin = binaries();
    let folder = tempfile::Builder::new().prefix("copydesk-postgres-").tempdir().expect("temporary folder").keep();
    if running_as_root() {
        let owner = |flag: &str| -> u32 {
            let output = Command::new("id").args([flag, "postgres"]).output().expect("id");
            String::from_utf8_lossy(&output.stdout).trim().parse().expect("the postgres account exists")
        };
        std::os::unix::fs::chown(&folder, Some(owner("-u")), Some(owner("-g"))).expect("chown");
    }
    let data = folder.join("data");
    let initdb = as_server_user(&bin.join("initdb"))
        .arg("-D")
        .arg(&data)
        .args(["-U", "copydesk", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"])
        .output()
        .expect("initdb runs");
    assert!(initdb.status.success(), "initdb failed: {}", String::from_utf8_lossy(&initdb.stderr));
    let port = free_port();
    // Each line read restarts the server (a fast shutdown, a second down, a start); the end of
    // input stops it and deletes its folder.
    let script = r#"
        run() {
            "$1/postgres" -D "$2" -p "$3" -k "$4" -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
                -c full_page_writes=off -c max_connections=200 >>"$4/server.log" 2>&1 &
            server=$!
        }
        run "$@"
        while read line; do
            kill -INT "$server"
            wait "$server"
            sleep 1
            run "$@"
        done
        kill -INT "$server"
        wait "$server"
        rm -rf "$4"
    "#;
    let supervisor = as_server_user(Path::new("/bin/sh"))
        .args(["-c", script, "sh"])
        .arg(&bin)
        .arg(&data)
        .arg(port.to_string())
        .arg(&folder)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("the server starts");
    // The supervisor's stdin stays open for the life of this process: its end is the signal.
    wait_for(port, &folder);
    Cluster { port, folder, supervisor: Mutex::new(supervisor) }
}

fn wait_for(port: u16, folder: &Path) {
    let started = Instant::now();
    loop {
        if postgres::Client::connect(&format!("host=127.0.0.1 port={port} user=copydesk dbname=postgres"), postgres::NoTls).is_ok() {
            break;
        }
        let log = std::fs::read_to_string(folder.join("server.log")).unwrap_or_default();
        assert!(started.elapsed() < Duration::from_secs(30), "the server did not start: {log}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A PostgreSQL server of one test's own, which the test may restart under its clients.
pub struct Dedicated {
    cluster: Cluster,
}

impl Dedicated {
    pub fn start() -> Dedicated {
        Dedicated { cluster: start() }
    }

    /// The URL of a new, empty database on this server.
    pub fn fresh_database(&self) -> String {
        database_on(&self.cluster)
    }

    /// Stops the server (a fast shutdown: connections are cut, committed work is kept), waits a
    /// second and starts it again; returns once it takes connections.
    pub fn restart(&self) {
        use std::io::Write;
        let mut supervisor = self.cluster.supervisor.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let stdin = supervisor.stdin.as_mut().expect("the supervisor's input");
        stdin.write_all(b"restart\n").and_then(|()| stdin.flush()).expect("the supervisor takes the restart");
        std::thread::sleep(Duration::from_millis(500));
        wait_for(self.cluster.port, &self.cluster.folder);
    }
}

/// The URL of a new, empty database on the suite's server.
pub fn fresh_database() -> String {
    database_on(CLUSTER.get_or_init(start))
}

fn database_on(cluster: &Cluster) -> String {
    let name = format!("library_{}_{}", std::process::id(), DATABASES.fetch_add(1, Ordering::SeqCst));
    let mut admin =
        postgres::Client::connect(&format!("host=127.0.0.1 port={} user=copydesk dbname=postgres", cluster.port), postgres::NoTls)
            .expect("the suite's server answers");
    admin.batch_execute(&format!("CREATE DATABASE {name}")).expect("a fresh database");
    format!("postgres://copydesk@127.0.0.1:{}/{name}", cluster.port)
}
