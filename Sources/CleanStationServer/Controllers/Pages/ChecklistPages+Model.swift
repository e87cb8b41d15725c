import CleanStationCore
import Fluent
import Vapor

/// What a checklist's page shows: the model its template reads.
extension ChecklistPages {
    struct Form: Encodable {
        struct Section: Encodable {
            var title: String
            /// Not encoded: the page writes them as `html` (`ChecklistHTML`).
            var items: [Item]
            var html = ""

            enum CodingKeys: String, CodingKey { case title, html }
        }

        struct Item {
            /// An item's id as a fragment of the page's address: `item-` and the id with `-` for each `.` (Foundation's
            /// replacing, for every item of every view, was 1.4 % of the checklist page's CPU).
            static func anchor(of id: String) -> String { "item-" + id.replacing(ascii: ".", with: "-") }

            /// The answer's position in the form; N/A rows have none.
            var index: Int
            var id: String
            var anchor: String
            var text: String
            var type: String
            var basin: String
            var applicable: Bool
            var notApplicableReason: String
            var naAllowed: Bool
            var unit: String
            var limits: String
            var min: String
            var max: String
            var options: [Choice]
            var value: String
            var na: Bool
            var note: String
            var quantity: String
            var expected: String
            var photos: [Photo]
            var instruction: Instruction?
            var error: String?
        }

        var orderID: String
        var poNumber: String
        var buildNumber: String
        var kind: String
        var title: String
        var form: String
        var templateVersion: Int
        var meaning: String
        var sections: [Section]
        var canSign: Bool
        var signable: Bool
        var blocked: String?
        /// The form may be filled in and saved, not signed yet (and why).
        var signBlocked: String?
        var errors: [String]
        var passwordError: String?
        var results: [Result]
        var orderHref: String
        var action: String
        var draftAction: String
        var photoAction: String
        var draftSaved: String
        var draftRevision: Int
        /// Signed PASS in this round: the form takes a correction, signed anew, and keeps no draft.
        var signedPass: Bool
        var instrumentRequired: Bool
        var instruments: [Choice]
        var instrumentError: String?
        var openTasks: [String]
        var tasksHref: String
        var answered: Int
        var applicable: Int
        var notApplicable: Int
        /// The items' photo forms, written with the checklist page (`ChecklistHTML`).
        var photoForms = ""
    }

    struct Photo {
        var href: String
        var label: String
    }

    struct Instruction: Encodable {
        var title: String
        var steps: [String]
        var safety: String
        var image: String
    }

    struct Result: Encodable {
        struct Line {
            var label: String
            var value: String
            var failed: Bool
            var notApplicable: Bool
            var detail: String
            var photos: [Photo]
        }

        var outcome: String
        var signedBy: String
        var signedAt: String
        var meaning: String
        var sha256: String
        var failedItems: String
        var instrument: String
        var templateVersion: String
        var certificate: String
        var printable: String
        /// Not encoded: the page writes them as `rows` (`ChecklistHTML`).
        var lines: [Line]
        var rows = ""

        enum CodingKeys: String, CodingKey {
            case outcome, signedBy, signedAt, meaning, sha256, failedItems, instrument, templateVersion, certificate, printable, rows
        }
    }
}
