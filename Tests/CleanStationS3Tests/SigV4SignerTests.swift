import AsyncHTTPClient
import Foundation
import Testing

@testable import CleanStationS3

@Suite struct SigV4SignerTests {
    static let keys = S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let signer = SigV4Signer(credentials: keys, region: "us-east-1")
    static let exampleDate = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z

    /// AWS's documented example "GET Object" (sig-v4-header-based-auth).
    @Test func signsAWSDocumentedExample() {
        let headers = Self.signer.sign(
            method: "GET", path: "/test.txt", headers: ["Host": "examplebucket.s3.amazonaws.com", "Range": "bytes=0-9"],
            payloadSHA256: S3Client.emptySHA256, date: Self.exampleDate)
        #expect(headers["x-amz-date"] == "20130524T000000Z")
        #expect(headers["x-amz-security-token"] == nil)
        #expect(
            headers["authorization"]
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    /// A path-style PUT with a port in the host, as botocore signs it.
    @Test func signsPathStylePutLikeBotocore() {
        var signer = Self.signer
        signer.region = "eu-central-1"
        let headers = signer.sign(
            method: "PUT", path: "/bucket/documents/ab/cd/abcd",
            headers: ["host": "127.0.0.1:9000", "content-type": "application/octet-stream"],
            payloadSHA256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", date: Self.exampleDate)
        #expect(headers["authorization"]?.hasSuffix("Signature=ed9e7946d93df927914a63b25af42439730ad0bbada804eeded59424f735cc87") == true)
    }

    /// Temporary credentials: the token is sent and signed, as botocore does
    /// (its signature for these inputs, computed with botocore 1.43's `S3SigV4Auth`).
    @Test func signsTheSessionTokenOfTemporaryCredentials() {
        var credentials = Self.keys
        credentials.sessionToken = "IQoJb3JpZ2luX2VjEXAMPLETOKEN"
        let headers = SigV4Signer(credentials: credentials, region: "us-east-1").sign(
            method: "GET", path: "/test.txt", headers: ["Host": "examplebucket.s3.amazonaws.com", "Range": "bytes=0-9"],
            payloadSHA256: S3Client.emptySHA256, date: Self.exampleDate)
        #expect(headers["x-amz-security-token"] == "IQoJb3JpZ2luX2VjEXAMPLETOKEN")
        #expect(
            headers["authorization"]?.contains("SignedHeaders=host;range;x-amz-content-sha256;x-amz-date;x-amz-security-token,") == true)
        #expect(headers["authorization"]?.hasSuffix("Signature=5b8114cebc1fe37e8d045656cb1ed35c0a87010195b98c285026e4788d539215") == true)
    }

    @Test func locationsArePathStyleForAnEndpointAndVirtualHostedForAWS() {
        let settings = S3Settings(bucket: "docs", region: "eu-west-1", endpoint: "http://127.0.0.1:9000", credentials: .keys(Self.keys))
        let key = "documents/ab/ab/" + String(repeating: "ab", count: 32)
        #expect(S3Client(settings: settings, http: .shared).location(key).url == "http://127.0.0.1:9000/docs/\(key)")
        var aws = settings
        aws.endpoint = nil
        let location = S3Client(settings: aws, http: .shared).location(key)
        #expect(location.url == "https://docs.s3.eu-west-1.amazonaws.com/\(key)")
        #expect(location.host == "docs.s3.eu-west-1.amazonaws.com")
    }

    @Test func listAnswersAreUnescaped() {
        let xml = "<ListBucketResult><Key>a&amp;b&lt;c</Key><Key>d</Key><IsTruncated>false</IsTruncated></ListBucketResult>"
        #expect(S3Client.elements("Key", in: xml) == ["a&b<c", "d"])
    }
}
