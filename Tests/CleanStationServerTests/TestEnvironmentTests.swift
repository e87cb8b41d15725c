import Foundation
import Testing

@Suite struct TestEnvironmentTests {
    /// CI must exercise PostgreSQL, S3 and SMTP: `make test` provisions them, so their absence there is a failure, not a skip.
    @Test func serversAreProvisionedUnderMakeTest() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["CLEANSTATION_TEST_REQUIRE_POSTGRES"] == "1" else { return }
        #expect(TestDatabase.postgresAdminURL != nil, "make test starts a PostgreSQL cluster; it is missing")
        #expect(environment["CLEANSTATION_TEST_S3_ENDPOINT"] != nil, "make test starts moto's S3 server; it is missing")
        #expect(environment["CLEANSTATION_TEST_SMTP_URL"] != nil, "make test starts an SMTP server; it is missing")
        #expect(
            environment["CLEANSTATION_TEST_SMTPS_URL"] != nil, "make test starts an SMTP server with TLS from the first byte; it is missing"
        )
    }
}
