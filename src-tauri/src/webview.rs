//! How the window's web engine is set up. Copydesk shows text, forms and one preview frame: it
//! needs neither GPU compositing nor a browser's caches, and on Linux both cost memory for the
//! whole session (WebKitGTK's compositor keeps GL buffers per layer, a software GL stack where
//! there is no GPU; the "web browser" cache model keeps decoded resources and pages for a back
//! button the app does not have). Figures are in BENCHMARKS.md, "Desktop app".
//!
//! It also shows the syllable being composed by an input method in place (see `tune`).
//!
//! `COPYDESK_GPU=1` keeps WebKit's own choice (compositing on), for comparison or for a machine
//! where it draws faster.
//!
//! The page's JavaScript runs without JavaScriptCore's JIT compilers (`before_start`): the JIT's
//! code, profiles and compiler memory were 45-60 MB of the web process while editing, the largest
//! share the app added over a bare window, and the page's scripts (Svelte, CodeMirror on one
//! article) are small enough that typing and lists measured no slower in the interpreter.
//! `COPYDESK_JIT=1` keeps the JIT, for comparison.

use tauri::{Runtime, WebviewWindow};

fn gpu_wanted() -> bool {
    std::env::var_os("COPYDESK_GPU").is_some_and(|value| value == "1")
}

/// Settings the web engine reads from the environment when its processes start, so they must be
/// in place before the first window is made. Call first thing in `main`, before any thread.
pub fn before_start() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("COPYDESK_JIT").is_none_or(|value| value != "1") && std::env::var_os("JSC_useJIT").is_none() {
        // SAFETY: called at the start of `main`, while this is the only thread, so nothing reads
        // the environment while it changes. WebKit's web process inherits it.
        unsafe { std::env::set_var("JSC_useJIT", "0") };
    }
}

/// Applies the settings to the main window's webview.
pub fn tune<R: Runtime>(window: &WebviewWindow<R>) {
    let gpu = gpu_wanted();
    let result = window.with_webview(move |webview| {
        #[cfg(target_os = "linux")]
        {
            use webkit2gtk::{CacheModel, HardwareAccelerationPolicy, InputMethodContextExt, SettingsExt, WebContextExt, WebViewExt};
            let view = webview.inner();
            // wry turns the input method's preedit off (so fcitx's candidate box follows the
            // cursor); then the syllable a Korean reporter is composing is invisible until it is
            // finished. Show it where it is typed, as every Korean editor does.
            if let Some(input_method) = view.input_method_context() {
                input_method.set_enable_preedit(true);
            }
            if let Some(settings) = WebViewExt::settings(&view) {
                if !gpu {
                    settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
                }
                settings.set_enable_page_cache(false);
                settings.set_enable_webgl(false);
                settings.set_enable_webaudio(false);
            }
            if let Some(context) = view.context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
        }
        #[cfg(not(target_os = "linux"))]
        let _ = (webview, gpu);
    });
    if let Err(error) = result {
        eprintln!("copydesk: the window's web engine could not be tuned: {error}");
    }
}
