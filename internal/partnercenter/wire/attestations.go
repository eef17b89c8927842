// The enhanced MCA attestation flow of 2026
// (../shared/spec/partner-center-2026.md §1). Microsoft's page for it could
// only be read up to the fifth request field, so every name below marked
// "Choice:" is ours, not Microsoft's: each is written here once, so the
// day the real answer is known it is a one-line change (docs/simulator.md
// lists them all).

package wire

import (
	"net/url"
	"time"
)

// Operation names of the enhanced attestation flow (metrics labels and
// simulator call counters, like the other Op* names).
const (
	// OpCreateEnhancedAttestation is POST /{version}/attestations/enhanced → 201. App-only ONLY:
	// "This scenario only supports AppOnly authentication" [doc].
	OpCreateEnhancedAttestation = "CreateEnhancedAttestation"
	// OpGetEnhancedAttestation is GET /{version}/attestations/enhanced/{attestationId}. App-only ONLY.
	// Choice: the read path; the document names no GET, partners describe "get status of an attestation".
	OpGetEnhancedAttestation = "GetEnhancedAttestation"
)

// AttestationOperations lists the attestation operations (in AllOperations).
var AttestationOperations = []string{OpCreateEnhancedAttestation, OpGetEnhancedAttestation}

// DefaultAPIVersion is the {version} path segment of the attestation calls
// when the client's setting is empty. Microsoft writes /v{version}/…
// without saying which versions exist; v1 is what every other call uses.
const DefaultAPIVersion = "v1"

// AttestationsPath is the collection path of enhanced attestations for an API version ("v1").
func AttestationsPath(version string) string {
	return "/" + url.PathEscape(version) + "/attestations/enhanced"
}

// Link expiry bounds in minutes (5 minutes to 7 days): the bounds partner
// integrations enforce, very likely mirroring Microsoft's validation [partner].
const (
	MinLinkExpiryMinutes = 5
	MaxLinkExpiryMinutes = 10080
)

// Attestation states. Choice: the state names (Microsoft's are not published).
const (
	// AttestationPending: the link is live and the customer has not accepted yet.
	AttestationPending = "Pending"
	// AttestationAccepted: the customer accepted the MCA through the link;
	// the agreement can be created with the attestation ID.
	AttestationAccepted = "Accepted"
	// AttestationExpired: the link expired unaccepted; it can no longer be accepted.
	AttestationExpired = "Expired"
)

// EnhancedAttestationRequest is the body of POST /{version}/attestations/enhanced.
// country, language, companyName, signatoryFirstName and signatoryLastName
// are Microsoft's documented names [doc]. Choice: signatoryEmail,
// signatoryPhoneNumber and expirationTimeInMinutes (the page is cut off
// before them; partners collect e-mail, optional phone and an expiry of
// 5..10080 minutes).
type EnhancedAttestationRequest struct {
	// Country is the customer's ISO 3166-1 alpha-2 country code.
	Country string `json:"country"`
	// Language is the preferred language of the agreement, e.g. "en".
	Language string `json:"language"`
	// CompanyName is the name of the company accepting the agreement.
	CompanyName string `json:"companyName"`
	// SignatoryFirstName is the first name of the person signing.
	SignatoryFirstName string `json:"signatoryFirstName"`
	// SignatoryLastName is the last name of the person signing.
	SignatoryLastName string `json:"signatoryLastName"`
	// SignatoryEmail is the signing person's e-mail.
	SignatoryEmail string `json:"signatoryEmail"`
	// SignatoryPhoneNumber is the signing person's phone (optional).
	SignatoryPhoneNumber string `json:"signatoryPhoneNumber,omitempty"`
	// ExpirationTimeInMinutes is how long the acceptance link stays valid (5..10080).
	ExpirationTimeInMinutes int `json:"expirationTimeInMinutes,omitempty"`
}

// EnhancedAttestation is the attestation resource: the create answer and the
// read answer. Choice: the whole response shape (attestationId, status,
// acceptanceUrl, createdAt, expiresAt, acceptedAt, plus the request echoed);
// Microsoft's response body could not be read.
type EnhancedAttestation struct {
	EnhancedAttestationRequest
	// AttestationID identifies the attestation; the agreement references it.
	AttestationID string `json:"attestationId"`
	// Status is one of the Attestation* states.
	Status string `json:"status"`
	// AcceptanceURL is the customer-facing Microsoft-hosted page that shows
	// the MCA and records the customer's acceptance. It needs no sign-in.
	AcceptanceURL string `json:"acceptanceUrl,omitempty"`
	// CreatedAt is when the attestation was created (UTC, RFC 3339).
	CreatedAt string `json:"createdAt,omitempty"`
	// ExpiresAt is when the link stops accepting (UTC, RFC 3339).
	ExpiresAt string `json:"expiresAt,omitempty"`
	// AcceptedAt is when the customer accepted (UTC, RFC 3339); empty before.
	AcceptedAt string `json:"acceptedAt,omitempty"`
}

// AcceptanceURLBase is where the Microsoft-hosted acceptance page lives.
// Choice: host, path and parameters are ours; Microsoft documents only that
// the partner "constructs the URL of an embeddable component" from the
// attestation.
const AcceptanceURLBase = "https://partner.microsoft.com/mca/attestation"

// AcceptanceURL is the acceptance link of an attestation, built the one way
// both sides use: the simulator answers it in acceptanceUrl and the client
// builds it when an answer lacks one.
func AcceptanceURL(attestationID, language, country string) string {
	q := url.Values{"attestationId": {attestationID}}
	if language != "" {
		q.Set("language", language)
	}
	if country != "" {
		q.Set("country", country)
	}
	return AcceptanceURLBase + "?" + q.Encode()
}

// Dates of the 2026 MCA rules.
var (
	// LegacyAttestationRetiredAt is when the legacy attestation (contact plus
	// dateAgreed, no attestation ID) stopped satisfying the order gate: it was
	// retired on 5 January 2026 [doc, partner]. Choice: the day's end in UTC
	// ("past 2026-01-05"); the documents give the day, not the hour.
	LegacyAttestationRetiredAt = time.Date(2026, 1, 6, 0, 0, 0, 0, time.UTC)
	// ReacceptanceCutoff: an acceptance dated before it no longer counts once
	// LegacyAttestationRetiredAt has passed; the customer must accept again
	// (M12; partner pages, not found on a Microsoft page).
	ReacceptanceCutoff = time.Date(2023, 4, 1, 0, 0, 0, 0, time.UTC)
)

// Error codes of the 2026 flow.
const (
	// CodeMFARequired is the 401 an App+User call gets without an MFA claim in
	// its token (enforced since 1 April 2026) [doc, partner].
	CodeMFARequired = "900421"
	// CodeAudienceRejected is the 401 for a graph.windows.net-audience token [code].
	CodeAudienceRejected = "900420"
)

// Signatory is an attestation's signatory as an agreement's primary contact
// (the one conversion the client and the simulator share).
func Signatory(r EnhancedAttestationRequest) Contact {
	return Contact{FirstName: r.SignatoryFirstName, LastName: r.SignatoryLastName, Email: r.SignatoryEmail, PhoneNumber: r.SignatoryPhoneNumber}
}
