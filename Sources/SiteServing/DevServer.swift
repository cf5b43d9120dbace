import Diagnostics
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SiteBuild

/// `patella serve`: builds the site, serves it on loopback, rebuilds when Content/
/// or Theme/ change, and tells open pages to reload (or to show the build's errors
/// over the last good page, which stays served because builds swap in atomically).
public struct DevServer: Sendable {
    public var options: BuildOptions
    public var host: String
    public var port: Int
    /// Where the server reports builds: the CLI prints these.
    public var onBuild: @Sendable (BuildResult, Duration) -> Void
    public var onListening: @Sendable (String) -> Void
    /// Pages decoded, parsed and linted by earlier rebuilds, reused while unchanged.
    let pages = PageCache(keepingSearch: true, changesReported: true)

    public init(options: BuildOptions, host: String, port: Int,
                onBuild: @escaping @Sendable (BuildResult, Duration) -> Void,
                onListening: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.host = host
        self.port = port
        self.onBuild = onBuild
        self.onListening = onListening
    }

    public func run() async throws {
        let hub = ReloadHub()
        // Watching starts before the first build: what is saved meanwhile is rebuilt after it.
        let contentWatcher = ContentWatcher(folders: [options.contentDirectory, options.themeDirectory], interval: .milliseconds(200))
        let firstBuildPublished = await rebuild(hub: hub)
        let files = SiteFiles(root: options.outputDirectory)

        let router = Router()
        router.get(RouterPath(stringLiteral: LiveReloadScript.path)) { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(string: LiveReloadScript.source)))
        }
        router.get(RouterPath(stringLiteral: LiveReloadScript.eventsPath)) { _, _ in
            let (id, stream) = await hub.subscribe()
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: ": connected\n\n"))
                    // The stream ends when the page goes away or the server shuts down.
                    for await event in stream {
                        try await writer.write(ByteBuffer(string: event.wireFormat))
                    }
                    await hub.unsubscribe(id)
                    try await writer.finish(nil)
                }
            )
        }
        // `**` does not match the bare root, so "/" is routed on its own.
        for path in ["/", "**"] {
            router.get(RouterPath(stringLiteral: path)) { request, _ in try Self.respond(to: request.uri.path, files: files) }
            router.head(RouterPath(stringLiteral: path)) { request, _ in try Self.respond(to: request.uri.path, files: files) }
        }

        var logger = Logger(label: "patella.serve")
        logger.logLevel = .error
        let address = "http://\(host):\(port)/"
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "patella"),
            onServerRunning: { _ in onListening(address) },
            logger: logger
        )
        let watcher = WatchService(watcher: contentWatcher, prepare: {
            // The spare copy is a build behind the site just published (on a new output
            // folder, empty): bring it up to date while the server already serves, so
            // the first edit does not wait for it (3 s at 10,000 pages). A build with no
            // change reported does only that, and publishes the same site; edits saved
            // meanwhile wait in the watcher's queue.
            guard firstBuildPublished else { return }
            _ = await SiteBuilder.build(options, cache: pages)
        }) { changed in
            pages.noteChanges(changed.map { Self.contentPaths($0, below: options.contentDirectory) })
            await rebuild(hub: hub)
        }

        var configuration = ServiceGroupConfiguration(services: [
            .init(service: application),
            .init(service: watcher),
            .init(service: StreamCloser(hub: hub), successTerminationBehavior: .ignore),
        ], logger: logger)
        configuration.gracefulShutdownSignals = [.sigint, .sigterm]
        configuration.maximumGracefulShutdownDuration = .seconds(3)
        try await ServiceGroup(configuration: configuration).run()
    }

    /// Builds and tells open pages; true if the site was published.
    @discardableResult
    func rebuild(hub: ReloadHub) async -> Bool {
        let start = ContinuousClock.now
        let result = await SiteBuilder.build(options, cache: pages)
        onBuild(result, ContinuousClock.now - start)
        if result.diagnostics.hasErrors {
            let printer = DiagnosticPrinter(useColor: false) { path in
                FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
            }
            let errors = result.diagnostics.filter { $0.severity == .error }
            await hub.publish(.failed(printer.format(errors) + DiagnosticPrinter.tally(result.diagnostics)))
            return false
        }
        await hub.publish(.reload)
        return true
    }

    /// The paths below the content folder, relative to it, of these watched paths.
    static func contentPaths(_ paths: Set<String>, below contentDirectory: String) -> Set<String> {
        let prefix = (contentDirectory.hasSuffix("/") ? contentDirectory : contentDirectory + "/")
        return Set(paths.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) })
    }

    static func respond(to path: String, files: SiteFiles) throws -> Response {
        switch files.lookup(path) {
        case .file(let file, let contentType):
            return fileResponse(file, contentType: contentType, status: .ok)
        case .redirect(let location):
            return Response(status: .movedPermanently, headers: [.location: location])
        case .forbidden:
            return Response(status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: "Forbidden\n")))
        case .notFound:
            let notFound = files.root + "/404.html"
            if FileManager.default.fileExists(atPath: notFound) {
                return fileResponse(notFound, contentType: SiteFiles.contentType(for: notFound), status: .notFound)
            }
            return Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: "Not found\n")))
        }
    }

    static func fileResponse(_ path: String, contentType: String, status: HTTPResponse.Status) -> Response {
        var bytes = FileManager.default.contents(atPath: path) ?? Data()
        if contentType.hasPrefix("text/html") {
            bytes = Data(SiteFiles.injectLiveReload(into: String(decoding: bytes, as: UTF8.self)).utf8)
        }
        return Response(status: status, headers: [.contentType: contentType, .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// Runs the watcher until shutdown.
struct WatchService: Service {
    let watcher: ContentWatcher
    /// Run once before the first change is looked at.
    let prepare: @Sendable () async -> Void
    let onChange: @Sendable (Set<String>?) async -> Void

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                await prepare()
                try await watcher.run(onChange: onChange)
            }
        } catch is CancellationError {
            // Shutdown: not a failure.
        }
    }
}

/// Ends the open event streams when shutdown begins, so Ctrl-C does not wait on pages.
struct StreamCloser: Service {
    let hub: ReloadHub

    func run() async throws {
        try? await gracefulShutdown()
        await hub.closeAll()
    }
}
