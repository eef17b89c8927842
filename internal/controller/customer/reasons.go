package customer

import "github.com/cspforge/partnercenter-operator/internal/status"

// Reasons a Customer reports. The class picks what happens next: Settled
// objects resync, RetryFast/RetrySlow ones are polled, NeedsUser ones are
// Stalled until their spec (or something they watch) changes.
var (
	// ReasonResellerPartnershipNotActive: indirectResellerRef names a
	// ResellerPartnership that is missing or not Active yet (R1, R4); the
	// customer is created once it is.
	ReasonResellerPartnershipNotActive = status.Reason{Name: "ResellerPartnershipNotActive", Class: status.RetrySlow}
	// ReasonDomainTaken: the <domain>.onmicrosoft.com domain already exists (C13); pick another domain.
	ReasonDomainTaken = status.Reason{Name: "DomainTaken", Class: status.NeedsUser}
	// ReasonAddressRejected: Partner Center's address validation did not
	// verify the address (C5); status.addressValidation lists its suggestions.
	ReasonAddressRejected = status.Reason{Name: "AddressRejected", Class: status.NeedsUser}
	// ReasonCreating: the create intent is persisted and the create call is under way or being replayed (C12).
	ReasonCreating = status.Reason{Name: "Creating", Class: status.RetryFast}
	// ReasonCreateRefused: Partner Center refused to create the customer; its message says what to change.
	ReasonCreateRefused = status.Reason{Name: "CreateRefused", Class: status.NeedsUser}
	// ReasonCredentialsSecretConflict: a Secret with the credentials Secret's
	// name exists and is not owned by this Customer; the admin credentials are
	// not written over it (C12). Delete or rename it, or set credentialsSecretName.
	// Secrets are not watched, so this Stalled object is still looked at again with a growing delay.
	ReasonCredentialsSecretConflict = status.Reason{Name: "CredentialsSecretConflict", Class: status.NeedsUser}
	// ReasonCreated: the operator created the customer in Partner Center.
	ReasonCreated = status.Reason{Name: "Created", Class: status.Settled}
	// ReasonAwaitingRelationship: the existing customer has not yet accepted
	// the reseller relationship request in status.relationshipRequestURL (C7).
	ReasonAwaitingRelationship = status.Reason{Name: "AwaitingRelationshipAcceptance", Class: status.RetrySlow}
	// ReasonAdopted: the existing customer accepted the relationship and was adopted, not created (C7).
	ReasonAdopted = status.Reason{Name: "Adopted", Class: status.Settled}
	// ReasonVerificationApproved: the account status is Allowed; purchases are allowed (C10).
	ReasonVerificationApproved = status.Reason{Name: "VerificationApproved", Class: status.Settled}
	// ReasonNoAccountStatus: Partner Center has no account status for the
	// customer (404/600074), which does not block purchases (C10).
	ReasonNoAccountStatus = status.Reason{Name: "NoAccountStatus", Class: status.Settled}
	// ReasonVerificationUnderReview: Microsoft is verifying the customer
	// (usually within three business days); purchases are blocked (C10).
	ReasonVerificationUnderReview = status.Reason{Name: "VerificationUnderReview", Class: status.RetrySlow}
	// ReasonVerificationPending: the account status is Unknown or Not Ready; purchases are blocked (C10).
	ReasonVerificationPending = status.Reason{Name: "VerificationPending", Class: status.RetrySlow}
	// ReasonVerificationRejected: the account status is NotAllowed; correct the
	// billing information in the spec to have it verified again (C10).
	ReasonVerificationRejected = status.Reason{Name: "VerificationRejected", Class: status.NeedsUser}
	// ReasonReverificationInProgress: billing information changed and was
	// sent to Partner Center; the customer is verified again (C10).
	ReasonReverificationInProgress = status.Reason{Name: "ReverificationInProgress", Class: status.RetrySlow}
	// ReasonQualificationInReview: the segment qualification is being vetted (C8).
	ReasonQualificationInReview = status.Reason{Name: "QualificationInReview", Class: status.RetrySlow}
	// ReasonQualificationDenied: the segment qualification was denied (C8); status.qualification says why.
	ReasonQualificationDenied = status.Reason{Name: "QualificationDenied", Class: status.NeedsUser}
	// ReasonAgreementProvided: the customer's MCA acceptance is confirmed (M6).
	ReasonAgreementProvided = status.Reason{Name: "AgreementProvided", Class: status.Settled}
	// ReasonAgreementNotProvided: no MCA acceptance is confirmed yet (M6);
	// an MCAAttestation or the customer's direct acceptance provides it.
	ReasonAgreementNotProvided = status.Reason{Name: "AgreementNotProvided", Class: status.Settled}
	// ReasonReacceptanceRequired: the customer's only MCA acceptance predates
	// 2023-04-01, which Partner Center no longer counts; the customer must
	// accept again (M12).
	ReasonReacceptanceRequired = status.Reason{Name: "ReacceptanceRequired", Class: status.Settled}
	// ReasonReady: the customer exists, is verified and everything declared is in effect.
	ReasonReady = status.Reason{Name: "Ready", Class: status.Settled}
	// ReasonDeleteRefused: deletionPolicy is Delete and Partner Center refused
	// to delete the customer (it allows it only in the integration sandbox).
	// Set deletionPolicy: Orphan to delete the object and keep the customer.
	ReasonDeleteRefused = status.Reason{Name: "DeleteRefused", Class: status.NeedsUser}
)

// Event reasons: one per transition a person may want to see in `kubectl describe`.
const (
	// EventCreated: the customer was created in Partner Center; the note names
	// its ID, domain and the create attempt.
	EventCreated = "Created"
	// EventCredentialsStored: the admin user name and temporary password are in the credentials Secret.
	EventCredentialsStored = "CredentialsStored"
	// EventAdopted: an existing customer accepted the relationship and was adopted (C7).
	EventAdopted = "Adopted"
	// EventVerified: Partner Center now allows purchases for the customer (C10).
	EventVerified = "Verified"
	// EventReverificationStarted: changed billing information was sent; the customer is verified again (C10).
	EventReverificationStarted = "ReverificationStarted"
	// EventQualificationRequested: a segment qualification was requested (C8).
	EventQualificationRequested = "QualificationRequested"
	// EventCostManagementSet: the Cost Management policy was set (C11).
	EventCostManagementSet = "CostManagementSet"
	// EventAgreementProvided: the customer's MCA acceptance is now confirmed (M6).
	EventAgreementProvided = "AgreementProvided"
	// EventDeleted: the customer was deleted in Partner Center (deletionPolicy Delete).
	EventDeleted = "Deleted"
)
