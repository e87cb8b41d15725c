import CleanStationCore
import Foundation

/// What the order list and the order's detail show of an order.
protocol OrderHeader {
    var id: UUID? { get }
    var poNumber: String { get }
    var customerName: String { get }
    var projectName: String? { get }
    var salesPerson: String { get }
    var wantDate: String { get }
    var language: Language { get }
    var notes: String { get }
    var sinkFamily: SinkFamily { get }
    var status: OrderStatus { get }
    var statusBreakdown: String? { get }
    var buildNumbers: String { get }
    var createdAt: Date? { get }
    var updatedAt: Date? { get }
}

extension Order: OrderHeader {}
