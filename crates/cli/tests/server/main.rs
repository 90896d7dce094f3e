//! `copydesk serve` through real HTTP: real server processes on a throwaway PostgreSQL, driven
//! with the `copydesk` command as a client and with raw requests where the wire itself is tested.

mod api;
mod cli_client;
mod concurrency;

pub mod common {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Child, Command, Stdio};
    use std::time::Duration;

    pub const SEED_ARTICLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/seed-article/article.md");
    pub const PASSWORD: &str = "correct horse battery staple";

    /// A running `copydesk serve`, stopped (SIGKILL) when dropped.
    pub struct Server {
        pub child: Child,
        pub url: String,
    }

    impl Server {
        pub fn start(library: &str, extra: &[&str]) -> Server {
            let mut child = Command::new(env!("CARGO_BIN_EXE_copydesk"))
                .args(["serve", "--listen", "127.0.0.1:0", "--release-every", "1"])
                .args(extra)
                .env("COPYDESK_LIBRARY", library)
                .env("COPYDESK_LOG", "warn")
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .unwrap();
            let mut line = String::new();
            BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
            let url = line.trim().strip_prefix("copydesk serving on ").unwrap_or_else(|| panic!("the server did not start: {line:?}"));
            Server { child, url: url.to_string() }
        }

        pub fn kill(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            self.kill();
        }
    }

    /// Runs `copydesk` with `env` and `args`, `stdin` piped in.
    pub fn copydesk(env: &[(&str, &str)], args: &[&str], stdin: &str) -> std::process::Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_copydesk"));
        command.args(args).env_remove("COPYDESK_USER").env_remove("COPYDESK_LIBRARY").env_remove("COPYDESK_SERVER");
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }

    pub fn ok(env: &[(&str, &str)], args: &[&str], stdin: &str) -> String {
        let output = copydesk(env, args, stdin);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    }

    /// A newsroom library on a fresh database with an admin, an editor and two reporters, each
    /// with the same password.
    pub fn newsroom() -> String {
        newsroom_on(throwaway_postgres::fresh_database())
    }

    pub fn newsroom_on(url: String) -> String {
        let on = [("COPYDESK_LIBRARY", url.as_str())];
        ok(&on, &["init", "--outlet", "뉴스핌", "--time-zone", "Asia/Seoul"], "");
        let people = [
            ("관리자", "admin@newspim.com", "admin"),
            ("박데스크", "desk@newspim.com", "editor"),
            ("김기랑", "rang@newspim.com", "reporter"),
            ("이기자", "lee@newspim.com", "reporter"),
        ];
        for (index, (name, email, role)) in people.into_iter().enumerate() {
            let mut args = vec!["user", "add", "--name", name, "--email", email, "--role", role, "--password-stdin"];
            if index > 0 {
                args.extend(["--user", "admin@newspim.com"]);
            }
            ok(&on, &args, &format!("{PASSWORD}\n"));
        }
        url
    }

    pub fn agent() -> ureq::Agent {
        ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(60))).build().into()
    }

    /// Signs in over HTTP; the session token.
    pub fn sign_in(server: &str, email: &str) -> String {
        let mut response =
            agent().post(format!("{server}/api/session")).send_json(serde_json::json!({ "email": email, "password": PASSWORD })).unwrap();
        assert_eq!(response.status(), 200, "{}", response.body_mut().read_to_string().unwrap());
        let body: serde_json::Value = response.body_mut().read_json().unwrap();
        body["token"].as_str().unwrap().to_string()
    }

    /// A request's status and JSON body; status 0 when the server could not be reached.
    pub fn call(method: &str, url: &str, token: Option<&str>, body: Option<serde_json::Value>) -> (u16, serde_json::Value) {
        let agent = agent();
        let auth = token.map(|token| format!("Bearer {token}"));
        let response = match (method, body) {
            ("GET", _) => {
                let mut request = agent.get(url);
                if let Some(auth) = &auth {
                    request = request.header("Authorization", auth);
                }
                request.call()
            }
            ("DELETE", _) => {
                let mut request = agent.delete(url);
                if let Some(auth) = &auth {
                    request = request.header("Authorization", auth);
                }
                request.call()
            }
            (method, body) => {
                let mut request = if method == "PUT" { agent.put(url) } else { agent.post(url) };
                if let Some(auth) = &auth {
                    request = request.header("Authorization", auth);
                }
                request.send_json(body.unwrap_or(serde_json::Value::Null))
            }
        };
        let mut response = match response {
            Ok(response) => response,
            Err(error) => return (0, serde_json::Value::String(error.to_string())),
        };
        let status = response.status().as_u16();
        let text = match response.body_mut().read_to_string() {
            Ok(text) => text,
            Err(error) => return (0, serde_json::Value::String(error.to_string())),
        };
        (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)))
    }
}
