import CleanStationCore
import Vapor

/// A catalogue item's own page, at the address its QR code encodes (a shelf's
/// label): what it is, and for an assembly, the parts it is made of.
enum CatalogPages {
    struct Item: Encodable {
        var id: String
        var name: String
        var kind: String
        var facts: [OrderPages.Fact]
        var components: [Component]
        var qr: String
        var label: String
        /// The builds whose BOM holds it, for who sees orders; empty otherwise.
        var whereUsed: String
        var lotTracked: Bool
        /// Where an administrator flags it as lot-tracked or stops; empty for anyone else.
        var lotTracking: String
    }

    struct Component: Encodable {
        var id: String
        var href: String
        var name: String
        var kind: String
        var quantity: Int
        var notes: String
    }

    static func item(_ request: Request) async throws -> Response {
        let item = try await CatalogController.item(request)
        let id = item.id
        // The category and subcategory by their names, as the service page offers them, not their codes.
        let category = request.application.catalogStore.snapshot.catalog.categories.first { $0.code == item.categoryCode }
        let facts: [(String, String)] = [
            ("Kind", AuditWords.sentence(item.kind)), ("Type", AuditWords.sentence(item.type)),
            ("Status", AuditWords.sentence(item.status)),
            ("Category", category?.name ?? ""),
            ("Subcategory", category?.subcategories.first { $0.code == item.subcategoryCode }?.name ?? ""),
            ("Manufacturer part number", item.manufacturerPartNumber ?? ""), ("Manufacturer", item.manufacturerInfo ?? ""),
            ("Lot-tracked", item.lotTracked ? "Yes: its lot is recorded at assembly" : "No"),
        ]
        let view = Item(
            id: id, name: item.name, kind: AuditWords.sentence(item.kind),
            facts: facts.filter { !$0.1.isEmpty }.map { OrderPages.Fact(label: $0.0, value: $0.1) },
            components: item.components.map { component in
                Component(
                    id: component.partId, href: SiteURL.catalogItem(.value(component.partId)).path, name: component.name ?? "",
                    kind: AuditWords.sentence(component.kind), quantity: component.quantity, notes: component.notes ?? "")
            }, qr: SiteURL.catalogItem(.value(id), .qr).path, label: SiteURL.catalogItem(.value(id), .label).path,
            whereUsed: try request.principal().role.seesOrders
                ? SiteURL.whereUsed.with(parameters: [("part", id)]) : "", lotTracked: item.lotTracked,
            lotTracking: LotCapture.mayFlag(try request.principal().role) ? SiteURL.catalogItem(.value(id), .lotTracking).path : "")
        return try await Chrome.render(
            request, "catalog-item", title: "\(id) · \(view.name)", view, section: nil,
            breadcrumbs: [Chrome.Link(label: "Catalogue item \(id)", href: SiteURL.catalogItem(.value(id)).path, current: true)])
    }

    /// The administrator's form: `lotTracked=true|false`.
    static func setLotTracking(_ request: Request) async throws -> Response {
        let id = request.parameters.get("itemID") ?? ""
        let tracked = FormFields(request).text("lotTracked") == "true"
        return try await Flash.perform(
            request, then: SiteURL.catalogItem(.value(id)).path,
            tracked ? "\(id) is lot-tracked: its lot is recorded at assembly." : "\(id) is no longer lot-tracked."
        ) {
            _ = try await LotsController.setTracking(request, LotsController.TrackingInput(lotTracked: tracked))
        }
    }
}
