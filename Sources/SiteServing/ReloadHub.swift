import Foundation

/// What the server tells open pages after a rebuild.
public enum SiteEvent: Sendable, Equatable {
    /// The site was rebuilt: reload.
    case reload
    /// The build failed: show these diagnostics over the last good page.
    case failed(String)

    /// One server-sent event, as written on the wire.
    var wireFormat: String {
        switch self {
        case .reload:
            return "event: reload\ndata: ok\n\n"
        case .failed(let report):
            let data = report.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)" }.joined(separator: "\n")
            return "event: build-error\n\(data)\n\n"
        }
    }
}

/// Fans build results out to every open page. A page that connects while the last
/// build is broken is told at once, so the overlay survives a reload.
public actor ReloadHub {
    private var listeners: [UUID: AsyncStream<SiteEvent>.Continuation] = [:]
    private var currentError: String?

    public init() {}

    public func subscribe() -> (UUID, AsyncStream<SiteEvent>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<SiteEvent>.makeStream(bufferingPolicy: .bufferingNewest(8))
        listeners[id] = continuation
        if let currentError { continuation.yield(.failed(currentError)) }
        return (id, stream)
    }

    public func unsubscribe(_ id: UUID) {
        listeners.removeValue(forKey: id)?.finish()
    }

    public func publish(_ event: SiteEvent) {
        if case .failed(let report) = event { currentError = report } else { currentError = nil }
        for continuation in listeners.values { continuation.yield(event) }
    }

    /// Ends every open stream, so a shutdown does not wait on them.
    public func closeAll() {
        for continuation in listeners.values { continuation.finish() }
        listeners.removeAll()
    }

    public var listenerCount: Int { listeners.count }
}

/// The script injected into every HTML page while serving (and only then).
enum LiveReloadScript {
    static let path = "/__patella/live.js"
    static let eventsPath = "/__patella/events"
    static let tag = "<script src=\"\(path)\" defer></script>"

    static let source = """
    // Patella serve: reload on rebuild; show build errors over the last good page.
    (function () {
      "use strict";
      var overlay = null;
      function showError(text) {
        if (!overlay) {
          overlay = document.createElement("div");
          overlay.id = "patella-error-overlay";
          overlay.setAttribute("role", "alertdialog");
          overlay.setAttribute("aria-label", "Build error");
          overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);" +
            "color:#fff;font:14px/1.5 ui-monospace,monospace;padding:2rem";
          var title = document.createElement("p");
          title.style.cssText = "font:700 18px system-ui,sans-serif;color:#ffb3b3;margin:0 0 1rem";
          title.textContent = "The last edit does not build. The page below is the last good version.";
          var pre = document.createElement("pre");
          pre.style.cssText = "white-space:pre-wrap;margin:0";
          overlay.appendChild(title);
          overlay.appendChild(pre);
          document.body.appendChild(overlay);
        }
        overlay.querySelector("pre").textContent = text;
      }
      var events = new EventSource("\(eventsPath)");
      events.addEventListener("reload", function () { location.reload(); });
      events.addEventListener("build-error", function (e) { showError(e.data); });
    })();
    """
}
