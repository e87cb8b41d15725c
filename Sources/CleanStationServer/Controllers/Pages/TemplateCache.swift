import LeafKit
import NIOCore

/// The parsed templates, kept for every request of a release build.
///
/// Leaf turns its cache off whenever Vapor's environment is named
/// "development" (`Application.Leaf.renderer`), which is the deployment
/// `make run` and the load test (`make scale`) use: every page then read,
/// lexed and parsed its templates again, a fifth of a page's CPU. A release
/// build's templates are the image's and never change while it runs, so it
/// keeps them whatever the deployment's name; a debug build never does, so
/// a template edited while it runs shows at the next request.
struct TemplateCache: LeafCache {
    private let templates = DefaultLeafCache()
    private let enabled: Bool

    init(enabled: Bool) {
        self.enabled = enabled
    }

    /// Fixed at start-up: Leaf's attempt to switch it off in development does nothing.
    var isEnabled: Bool {
        get { enabled }
        set {}
    }

    var count: Int { templates.count }

    func insert(_ document: LeafAST, on loop: any EventLoop, replace: Bool) -> EventLoopFuture<LeafAST> {
        templates.insert(document, on: loop, replace: replace)
    }

    func retrieve(documentName: String, on loop: any EventLoop) -> EventLoopFuture<LeafAST?> {
        templates.retrieve(documentName: documentName, on: loop)
    }

    func remove(_ documentName: String, on loop: any EventLoop) -> EventLoopFuture<Bool?> {
        templates.remove(documentName, on: loop)
    }
}
