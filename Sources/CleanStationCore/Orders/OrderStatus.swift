/// Where an order stands in the lifecycle of domain.md.
public enum OrderStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case orderCreated = "ORDER_CREATED"
    case partsSent = "PARTS_SENT"
    case readyForPreQC = "READY_FOR_PRE_QC"
    case readyForProduction = "READY_FOR_PRODUCTION"
    case testingComplete = "TESTING_COMPLETE"
    case packagingComplete = "PACKAGING_COMPLETE"
    case readyForFinalQC = "READY_FOR_FINAL_QC"
    case readyForShip = "READY_FOR_SHIP"
    case shipped = "SHIPPED"
    case cancelled = "CANCELLED"
}
