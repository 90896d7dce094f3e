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

use tauri::{Runtime, WebviewWindow};

fn gpu_wanted() -> bool {
    std::env::var_os("COPYDESK_GPU").is_some_and(|value| value == "1")
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
