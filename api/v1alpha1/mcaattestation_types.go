package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// AcceptanceMethod is how the customer's acceptance of the Microsoft
// Customer Agreement is confirmed (M1).
// +kubebuilder:validation:Enum=PartnerAttestation;DirectAcceptance
type AcceptanceMethod string

const (
	// MethodPartnerAttestation: the partner attests that the customer
	// accepted (M2, M3). Not available to indirect resellers.
	MethodPartnerAttestation AcceptanceMethod = "PartnerAttestation"
	// MethodDirectAcceptance: the customer accepts in the Microsoft 365
	// admin center (M7).
	MethodDirectAcceptance AcceptanceMethod = "DirectAcceptance"
)

// Agreement states as Partner Center reports them (M6).
const (
	// AgreementProvided means an acceptance is confirmed.
	AgreementProvided = "Provided"
	// AgreementNotProvided means no acceptance is confirmed yet.
	AgreementNotProvided = "NotProvided"
)

// AcceptingPerson is the person at the customer who accepted the agreement (M3).
type AcceptingPerson struct {
	// firstName of the person who accepted.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=40
	// +required
	FirstName string `json:"firstName"`
	// lastName of the person who accepted.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=40
	// +required
	LastName string `json:"lastName"`
	// email of the person who accepted.
	// +kubebuilder:validation:MaxLength=254
	// +kubebuilder:validation:Pattern=`^[^@\s]+@[^@\s]+\.[^@\s]+$`
	// +required
	Email string `json:"email"`
	// phoneNumber of the person who accepted (optional).
	// +kubebuilder:validation:MaxLength=30
	// +kubebuilder:validation:Pattern=`^\+?[0-9][0-9 ()./-]{3,29}$`
	// +optional
	PhoneNumber string `json:"phoneNumber,omitempty"`
}

// MCAAttestationSpec declares how a customer's acceptance of the Microsoft
// Customer Agreement is confirmed.
// +kubebuilder:validation:XValidation:rule="self.method != 'PartnerAttestation' || (has(self.acceptedBy) && has(self.dateAgreed))",message="M3: a PartnerAttestation needs acceptedBy (first name, last name, e-mail) and dateAgreed"
type MCAAttestationSpec struct {
	// customerRef names the Customer (same namespace) whose acceptance this
	// confirms. Immutable. The Customer may be applied in the same batch: the
	// attestation is carried out as soon as the customer exists (M4).
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="customerRef is immutable"
	// +required
	CustomerRef LocalObjectReference `json:"customerRef"`

	// method is PartnerAttestation or DirectAcceptance (M1).
	// +required
	Method AcceptanceMethod `json:"method"`

	// acceptedBy is the person who accepted (required for PartnerAttestation).
	// +optional
	AcceptedBy *AcceptingPerson `json:"acceptedBy,omitempty"`

	// dateAgreed is the date the customer accepted, YYYY-MM-DD. It may not be
	// in the future (M3).
	// +kubebuilder:validation:Pattern=`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`
	// +optional
	DateAgreed string `json:"dateAgreed,omitempty"`

	// templateID is the agreement template; looked up from Partner Center's
	// agreement metadata when empty.
	// +kubebuilder:validation:Pattern=`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`
	// +optional
	TemplateID string `json:"templateID,omitempty"`

	// directAcceptanceTimeout bounds the wait for a DirectAcceptance (M9):
	// past it the object asks for a partner attestation instead. Default 7 days.
	// +kubebuilder:default="168h"
	// +optional
	DirectAcceptanceTimeout *metav1.Duration `json:"directAcceptanceTimeout,omitempty"`
	// managementPolicy is Manage (default: the operator acts on the spec) or
	// Observe (it only reads Partner Center and reports, including drift as
	// the Synced condition and an event; it never sends a write, and deleting
	// the object never deletes anything in Partner Center) (I1).
	// +kubebuilder:default=Manage
	// +optional
	ManagementPolicy ManagementPolicy `json:"managementPolicy,omitempty"`
}

// MCAAttestationStatus is the observed state of an MCAAttestation.
type MCAAttestationStatus struct {
	CommonStatus `json:",inline"`

	// agreementStatus is Provided once the acceptance is confirmed, else NotProvided (M6).
	// +optional
	AgreementStatus string `json:"agreementStatus,omitempty"`

	// acceptedAt is when the operator saw the acceptance confirmed.
	// +optional
	AcceptedAt *metav1.Time `json:"acceptedAt,omitempty"`

	// notificationDueBy is when the customer's primary contact will have been
	// notified by e-mail of a partner attestation (attestation + 30 min, M5).
	// +optional
	NotificationDueBy *metav1.Time `json:"notificationDueBy,omitempty"`

	// invitationURL is the Microsoft 365 admin center page where the customer
	// accepts the agreement directly (M7, M8).
	// +optional
	InvitationURL string `json:"invitationURL,omitempty"`

	// credentialsSecretName names the Customer's credentials Secret the
	// customer admin signs in with to accept (never the password itself).
	// +optional
	CredentialsSecretName string `json:"credentialsSecretName,omitempty"`

	// waitingSince is when the operator started waiting for a direct acceptance (M9).
	// +optional
	WaitingSince *metav1.Time `json:"waitingSince,omitempty"`

	// templateID is the agreement template used.
	// +optional
	TemplateID string `json:"templateID,omitempty"`

	// attestation is the enhanced attestation of a PartnerAttestation (M11):
	// the Microsoft-hosted link the customer accepts the agreement through.
	// +optional
	Attestation *AttestationLink `json:"attestation,omitempty"`

	// dateAgreed is the acceptance date the operator reports, YYYY-MM-DD:
	// Partner Center's (the agreement's dateAgreed, when the customer accepted
	// the link), or spec.dateAgreed when Partner Center gives none.
	// +optional
	DateAgreed string `json:"dateAgreed,omitempty"`
}

// AttestationLink is an enhanced attestation and its acceptance link (M11).
type AttestationLink struct {
	// id is Partner Center's attestation ID; the agreement references it.
	// +optional
	ID string `json:"id,omitempty"`
	// acceptanceURL is the Microsoft-hosted page where the customer reads
	// and accepts the Microsoft Customer Agreement (no sign-in needed).
	// +optional
	AcceptanceURL string `json:"acceptanceURL,omitempty"`
	// state is Partner Center's state of the attestation: Pending, Accepted or Expired.
	// +optional
	State string `json:"state,omitempty"`
	// createdAt is when the attestation was created.
	// +optional
	CreatedAt *metav1.Time `json:"createdAt,omitempty"`
	// expiresAt is when the link stops accepting; an expired link is
	// replaced by a new attestation automatically.
	// +optional
	ExpiresAt *metav1.Time `json:"expiresAt,omitempty"`
	// expiredLinksReplaced counts the links that expired unaccepted and were
	// replaced (once each).
	// +optional
	ExpiredLinksReplaced int32 `json:"expiredLinksReplaced,omitempty"`
}

// MCAAttestation confirms a customer's acceptance of the Microsoft Customer
// Agreement, by partner attestation or by the customer's direct acceptance.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=mca,categories=partnercenter
// +kubebuilder:validation:XValidation:rule="!has(oldSelf.status) || !has(oldSelf.status.acceptedAt) || (self.spec.method == oldSelf.spec.method && self.spec.acceptedBy == oldSelf.spec.acceptedBy && self.spec.dateAgreed == oldSelf.spec.dateAgreed)",message="the agreement was already accepted: method, acceptedBy and dateAgreed can no longer change; create a new MCAAttestation to confirm again"
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Paused",type=string,JSONPath=`.status.conditions[?(@.type=="Paused")].status`
// +kubebuilder:printcolumn:name="Reason",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`
// +kubebuilder:printcolumn:name="Customer",type=string,JSONPath=`.spec.customerRef.name`
// +kubebuilder:printcolumn:name="Method",type=string,JSONPath=`.spec.method`
// +kubebuilder:printcolumn:name="Agreement",type=string,JSONPath=`.status.agreementStatus`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
// +kubebuilder:printcolumn:name="Accepted",type=date,JSONPath=`.status.acceptedAt`,priority=1
// +kubebuilder:printcolumn:name="Link",type=string,JSONPath=`.status.attestation.acceptanceURL`,priority=1
// +kubebuilder:printcolumn:name="Notice Due",type=string,JSONPath=`.status.notificationDueBy`,priority=1
// +kubebuilder:printcolumn:name="Message",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].message`,priority=1
type MCAAttestation struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec declares how the acceptance is confirmed.
	// +required
	Spec MCAAttestationSpec `json:"spec"`

	// status is the observed state.
	// It is {} until the operator's first visit, so that expressions on
	// status (e.g. Flux's healthCheckExprs) always find it.
	// +kubebuilder:default={}
	// +optional
	Status MCAAttestationStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// MCAAttestationList contains a list of MCAAttestation.
type MCAAttestationList struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard list metadata.
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	// items are the MCAAttestations.
	Items []MCAAttestation `json:"items"`
}

// Condition types of an MCAAttestation.
const (
	// ConditionAccepted is True once Partner Center confirms the acceptance.
	ConditionAccepted = "Accepted"
)

func init() {
	SchemeBuilder.Register(&MCAAttestation{}, &MCAAttestationList{})
}
