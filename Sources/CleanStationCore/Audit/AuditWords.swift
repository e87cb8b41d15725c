import Foundation

/// The audit trail in the floor's words (issue 20): what each recorded
/// action and resource type means to an auditor reading the page. The
/// codes stay in the records and the API; only the page shows these.
public enum AuditWords {
    /// Every action the application records, with its words.
    public static let actions: [String: String] = [
        "LOGIN": "Signed in", "LOGIN_FAILED": "Sign-in refused", "LOGOUT": "Signed out",
        "CREATE": "Created", "UPDATE": "Changed", "DELETE": "Removed",
        "DEACTIVATE": "Deactivated", "REACTIVATE": "Reactivated",
        "SIGN": "Signed", "SIGN_FAILED": "Signature refused",
        "APPROVE": "Approved", "REJECT": "Sent back", "DISPOSITION": "Disposition decided", "CLOSE": "Closed",
        "OVERRIDE": "Status overridden", "OVERRIDE_FAILED": "Override refused",
        "EXPORT": "Exported", "IMPORT": "Imported",
        "MFA_ENABLE": "Two-factor sign-in set up", "MFA_ENABLE_FAILED": "Two-factor set-up refused",
        "MFA_RESET": "Two-factor sign-in reset",
        "PASSWORD_CHANGE": "Password changed", "PASSWORD_CHANGE_FAILED": "Password change refused",
        "PASSWORD_RESET": "Password reset by an administrator", "PASSWORD_RESET_REQUESTED": "Password link asked for",
        "PASSWORD_RESET_BY_EMAIL": "Password chosen from an e-mailed link",
        "AUDIT_RESTORE_ACCEPTED": "Restore accepted",
    ]

    /// The action's words; an action recorded without words here is shown in sentence case. A user's
    /// deactivation was recorded as `DELETE` before it had its own action, and still reads as one.
    public static func action(_ code: String, on resourceType: String = "") -> String {
        if code == "DELETE" && resourceType == "user" { return "Deactivated" }
        return actions[code] ?? sentence(code)
    }

    /// Whether what was asked for happened.
    public static func outcome(_ code: String) -> String {
        ["SUCCESS": "Done", "FAILURE": "Refused"][code] ?? sentence(code)
    }

    /// `outsourced_line` → "Outsourced line".
    public static func resource(_ type: String) -> String {
        sentence(type)
    }

    /// A code as words: `HEIGHT_ADJUSTABLE` as "Height adjustable" (the pages' codes too).
    public static func sentence(_ code: String) -> String {
        let words = code.replacing(ascii: "_", with: " ").lowercased()
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}
