package mcaattestation

import "github.com/cspforge/partnercenter-operator/internal/status"

// Reasons an MCAAttestation reports. The class picks what happens next:
// Settled objects resync, RetryFast/RetrySlow ones are polled, NeedsUser ones
// are Stalled until their spec (or something they watch) changes.
var (
	// ReasonWaitingForCustomer: the referenced Customer does not exist yet or
	// has no Partner Center customer ID; the attestation is carried out as soon
	// as it has one (M4).
	ReasonWaitingForCustomer = status.Reason{Name: "WaitingForCustomer", Class: status.RetrySlow}
	// ReasonAttesting: the MS-RequestId is persisted and the attestation or
	// agreement call is under way or being replayed after a transient failure.
	ReasonAttesting = status.Reason{Name: "Attesting", Class: status.RetryFast}
	// ReasonAttestationRefused: Partner Center refused the attestation; its
	// message says what to change in the spec. Nothing is sent again until the spec changes.
	ReasonAttestationRefused = status.Reason{Name: "AttestationRefused", Class: status.NeedsUser}
	// ReasonWaitingForDirectAcceptance: the customer has been invited to accept
	// the agreement in the Microsoft 365 admin center (M7, M8); its direct-signed
	// status is polled with a growing delay.
	ReasonWaitingForDirectAcceptance = status.Reason{Name: "WaitingForDirectAcceptance", Class: status.RetrySlow}
	// ReasonPartnerAttestationRequired: the customer did not accept directly
	// within directAcceptanceTimeout, or an order for it is held for want of
	// the agreement (M9); the partner must attest: switch to PartnerAttestation.
	ReasonPartnerAttestationRequired = status.Reason{Name: "PartnerAttestationRequired", Class: status.NeedsUser}
	// ReasonWaitingForCustomerAcceptance: the enhanced attestation's link is
	// published (status.attestation, event AttestationLinkReady); its state is
	// polled with a growing delay until the customer accepted it (M11). An
	// expired link is replaced by a new one.
	ReasonWaitingForCustomerAcceptance = status.Reason{Name: "WaitingForCustomerAcceptance", Class: status.RetrySlow}
	// ReasonAttestationDetailsMissing: the Customer lacks the company name,
	// country or language the attestation names; set it on the Customer.
	ReasonAttestationDetailsMissing = status.Reason{Name: "AttestationDetailsMissing", Class: status.NeedsUser}
	// ReasonAccepted: Partner Center confirms the customer's acceptance of the
	// Microsoft Customer Agreement (M6).
	ReasonAccepted = status.Reason{Name: "Accepted", Class: status.Settled}
)

// Event reasons: one per transition a person may want to see in `kubectl describe`.
const (
	// EventAttested: the partner attestation was recorded and confirmed in
	// Partner Center; the note says when the customer's primary contact will
	// have been notified (M5).
	EventAttested = "Attested"
	// EventInvitationReady: the invitation URL and the credentials Secret to
	// send the customer are in status (M7, M8).
	EventInvitationReady = "InvitationReady"
	// EventAccepted: Partner Center now confirms the customer's direct
	// acceptance (M6); a partner attestation is announced by Attested.
	EventAccepted = "Accepted"
	// EventAttestationLinkReady: a new acceptance link is in status.attestation,
	// to send the customer; the note has the link and its expiry (M11).
	EventAttestationLinkReady = "AttestationLinkReady"
	// EventAttestationLinkExpired: a link expired unaccepted and was replaced (M11).
	EventAttestationLinkExpired = "AttestationLinkExpired"
)
