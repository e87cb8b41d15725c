import CleanStationCore
import Foundation

/// A shipment's packing list: the order, the carrier and tracking number,
/// and for each build in the box its model and its packed contents (the
/// BOM's pick list), with a line to sign at receipt.
public enum PackingListPDF {
    public struct Shipment: Sendable {
        public struct Build: Sendable {
            public var buildNumber: String
            public var model: String
            public var lines: [(id: String, name: String, quantity: Int)]

            public init(buildNumber: String, model: String, lines: [(id: String, name: String, quantity: Int)]) {
                self.buildNumber = buildNumber
                self.model = model
                self.lines = lines
            }
        }

        public var poNumber: String
        public var customer: String
        public var project: String?
        public var shippedOn: String
        public var carrier: String
        public var trackingNumber: String
        public var builds: [Build]

        public init(
            poNumber: String, customer: String, project: String?, shippedOn: String, carrier: String, trackingNumber: String,
            builds: [Build]
        ) {
            self.poNumber = poNumber
            self.customer = customer
            self.project = project
            self.shippedOn = shippedOn
            self.carrier = carrier
            self.trackingNumber = trackingNumber
            self.builds = builds
        }
    }

    public static func render(_ shipment: Shipment) throws -> Data {
        let pdf = try PDFWriter(
            title: "Packing list \(shipment.poNumber)", footer: "CleanStation · packing list \(shipment.poNumber) · \(shipment.shippedOn)")
        pdf.line("Packing list", size: 18, bold: true)
        pdf.line("Order \(shipment.poNumber) · \(shipment.customer)" + (shipment.project.map { " · \($0)" } ?? ""), size: 11, bold: true)
        pdf.line("Shipped \(shipment.shippedOn)", size: 10)
        pdf.line("Carrier: \(shipment.carrier.isEmpty ? "—" : shipment.carrier)", size: 10)
        pdf.line("Tracking number: \(shipment.trackingNumber.isEmpty ? "—" : shipment.trackingNumber)", size: 10)
        pdf.line("\(shipment.builds.count) sink(s): " + shipment.builds.map(\.buildNumber).joined(separator: ", "), size: 10)
        pdf.rule()
        let columns: [Float] = [0, 170, 440]
        for build in shipment.builds {
            pdf.line("Build \(build.buildNumber) · \(build.model)", size: 12, bold: true)
            pdf.row(["Part", "Description", "Qty"], columns: columns, bold: true)
            for line in build.lines { pdf.row([line.id, line.name, String(line.quantity)], columns: columns, wrap: true) }
            pdf.space(8)
        }
        pdf.rule()
        pdf.line("Received in good order by: ____________________________   Date: ______________", size: 10)
        return try pdf.data()
    }
}
