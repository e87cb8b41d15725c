import Foundation

extension Error {
    /// The system's reason for a failed file operation ("No such file or
    /// directory") rather than Foundation's generic sentence around it.
    public var systemReason: String {
        let error = self as NSError
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? any Error {
            let posix = underlying as NSError
            if posix.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(posix.code))) }
            return posix.localizedDescription
        }
        return error.localizedDescription
    }
}
