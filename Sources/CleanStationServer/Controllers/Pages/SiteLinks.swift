import Foundation

/// The addresses a template links to or posts to for one thing on the page,
/// each from `SiteURL`: templates hold no address of their own (issue 19).
struct BuildLinks: Encodable {
    var page, approve, claim, release, assign, status, reject, override, labels, bom, outsourcing, qr: String
    var deviceHistory, deviceHistoryPDF: String

    init(order: String, build: String) {
        func path(_ page: SiteURL.BuildPage?) -> String { SiteURL.build(.value(order), .value(build), page).path }
        self.page = path(nil)
        approve = path(.approve)
        claim = path(.claim)
        release = path(.release)
        assign = path(.assign)
        status = path(.status)
        reject = path(.reject)
        override = path(.override)
        labels = path(.labels)
        bom = path(.bom)
        outsourcing = path(.outsourcing)
        qr = path(.qr)
        deviceHistory = path(.deviceHistory)
        deviceHistoryPDF = path(.deviceHistoryPDF)
    }
}

struct OrderLinks: Encodable {
    var page, edit, print, status, header, shipments, comments, documents: String

    init(order id: String) {
        func path(_ page: SiteURL.OrderPage?) -> String { SiteURL.order(.value(id), page).path }
        self.page = path(nil)
        edit = path(.edit)
        print = path(.print)
        status = path(.status)
        header = path(.header)
        shipments = path(.shipments)
        comments = path(.comments)
        documents = path(.documents)
    }
}

struct UserLinks: Encodable {
    var page, deactivate, reactivate, resetPassword, resetMFA: String

    init(user id: String) {
        func path(_ page: SiteURL.UserPage?) -> String { SiteURL.admin(.user(.value(id), page)).path }
        self.page = path(nil)
        deactivate = path(.deactivate)
        reactivate = path(.reactivate)
        resetPassword = path(.resetPassword)
        resetMFA = path(.resetMFA)
    }
}

struct InstrumentLinks: Encodable {
    var update, certificateUpload: String

    init(instrument id: String) {
        update = SiteURL.admin(.instrument(.value(id))).path
        certificateUpload = SiteURL.admin(.instrumentCertificate(.value(id))).path
    }
}

struct NonconformanceLinks: Encodable {
    var disposition, approve: String

    init(report id: String) {
        disposition = SiteURL.nonconformance(.value(id), .disposition).path
        approve = SiteURL.nonconformance(.value(id), .approve).path
    }
}

struct ServiceRequestLinks: Encodable {
    var approve, reject, fulfil: String

    init(request id: String) {
        func path(_ decision: String) -> String { SiteURL.serviceDecision(.value(id), .value(decision)).path }
        approve = path("approve")
        reject = path("reject")
        fulfil = path("fulfil")
    }
}
