package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// PartnershipState is the desired state of a reseller partnership.
// +kubebuilder:validation:Enum=Active;Removed
type PartnershipState string

const (
	// PartnershipActive asks for an active partnership (R2).
	PartnershipActive PartnershipState = "Active"
	// PartnershipRemoved asks for the partnership to be removed (R6); it is
	// carried out only with removalConfirmation set.
	PartnershipRemoved PartnershipState = "Removed"
)

// PartnershipPhase is where a partnership is in its life cycle.
type PartnershipPhase string

const (
	// PhaseRequested: the request is out; waiting for the reseller to accept.
	PhaseRequested PartnershipPhase = "Requested"
	// PhaseActive: the reseller accepted and is in the indirect resellers list.
	PhaseActive PartnershipPhase = "Active"
	// PhaseRemovalPending: removal confirmed; waiting for it to be done in the portal.
	PhaseRemovalPending PartnershipPhase = "RemovalPending"
	// PhaseRemoved: the reseller is no longer in the indirect resellers list.
	PhaseRemoved PartnershipPhase = "Removed"
)

// ResellerPartnershipSpec declares an indirect provider's partnership with
// an indirect reseller (R1..R7).
type ResellerPartnershipSpec struct {
	// resellerMPNID is the MPN ID of the reseller's Partner Location Account
	// (R1). Immutable.
	// +kubebuilder:validation:Pattern=`^[0-9]{5,10}$`
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="resellerMPNID is immutable: create a new ResellerPartnership for another reseller"
	// +required
	ResellerMPNID string `json:"resellerMPNID"`

	// resellerEmail is where the partnership request e-mail goes (R2). It is
	// needed only to request a partnership: an active one (imported, I1) needs
	// none. Admission warns when a Manage partnership has none; a request
	// without it stalls with ResellerEmailMissing.
	// +kubebuilder:validation:MaxLength=254
	// +kubebuilder:validation:Pattern=`^[^@\s]+@[^@\s]+\.[^@\s]+$`
	// +optional
	ResellerEmail string `json:"resellerEmail,omitempty"`

	// resellerTenantID is the reseller's tenant ID if known; otherwise it is
	// read from the indirect resellers list once the partnership is active.
	// +kubebuilder:validation:Pattern=`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`
	// +optional
	ResellerTenantID string `json:"resellerTenantID,omitempty"`

	// state is the desired state: Active (default) or Removed (R6).
	// +kubebuilder:default=Active
	// +optional
	State PartnershipState `json:"state,omitempty"`

	// removalConfirmation is free text (e.g. a ticket or the name of who
	// approved it) that must be set before a removal is carried out (R6).
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	RemovalConfirmation string `json:"removalConfirmation,omitempty"`

	// deletionPolicy says what deleting this object does: Delete (default)
	// asks for the partnership's removal (which needs removalConfirmation);
	// Orphan leaves the partnership as it is and releases the object at once.
	// +kubebuilder:default=Delete
	// +optional
	DeletionPolicy DeletionPolicy `json:"deletionPolicy,omitempty"`
	// managementPolicy is Manage (default: the operator acts on the spec) or
	// Observe (it only reads Partner Center and reports, including drift as
	// the Synced condition and an event; it never sends a write, and deleting
	// the object never deletes anything in Partner Center) (I1).
	// +kubebuilder:default=Manage
	// +optional
	ManagementPolicy ManagementPolicy `json:"managementPolicy,omitempty"`
}

// EmailDraft is a ready-to-send partnership request e-mail (R2).
type EmailDraft struct {
	// to is the reseller's e-mail address.
	// +optional
	To string `json:"to,omitempty"`
	// subject of the e-mail.
	// +optional
	Subject string `json:"subject,omitempty"`
	// body of the e-mail, with the personalized link and the reseller's MPN ID.
	// +optional
	Body string `json:"body,omitempty"`
}

// ResellerPartnershipStatus is the observed state of a ResellerPartnership.
type ResellerPartnershipStatus struct {
	CommonStatus `json:",inline"`

	// phase is Requested, Active, RemovalPending or Removed.
	// +optional
	Phase PartnershipPhase `json:"phase,omitempty"`

	// partnershipRequestURL is the provider's personalized invitation link (R2).
	// +optional
	PartnershipRequestURL string `json:"partnershipRequestURL,omitempty"`

	// emailDraft is the partnership request e-mail to send to the reseller (R2).
	// +optional
	EmailDraft *EmailDraft `json:"emailDraft,omitempty"`

	// resellerName is the reseller's name from the indirect resellers list.
	// +optional
	ResellerName string `json:"resellerName,omitempty"`

	// resellerTenantID is the reseller's tenant ID from the indirect resellers
	// list: what customers use as AssociatedPartnerId (R4).
	// +optional
	ResellerTenantID string `json:"resellerTenantID,omitempty"`

	// resellerMPNID is the verified MPN ID: what subscriptions use as partner
	// of record (R3).
	// +optional
	ResellerMPNID string `json:"resellerMPNID,omitempty"`
}

// ResellerPartnership is an indirect provider's partnership with an indirect
// reseller enrolled in CSP.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=rp,categories=partnercenter
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Paused",type=string,JSONPath=`.status.conditions[?(@.type=="Paused")].status`
// +kubebuilder:printcolumn:name="Phase",type=string,JSONPath=`.status.phase`
// +kubebuilder:printcolumn:name="MPN ID",type=string,JSONPath=`.spec.resellerMPNID`
// +kubebuilder:printcolumn:name="Reseller",type=string,JSONPath=`.status.resellerName`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
// +kubebuilder:printcolumn:name="Tenant ID",type=string,JSONPath=`.status.resellerTenantID`,priority=1
// +kubebuilder:printcolumn:name="Reason",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`,priority=1
// +kubebuilder:printcolumn:name="Message",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].message`,priority=1
type ResellerPartnership struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec declares the partnership.
	// +required
	Spec ResellerPartnershipSpec `json:"spec"`

	// status is the observed state.
	// It is {} until the operator's first visit, so that expressions on
	// status (e.g. Flux's healthCheckExprs) always find it.
	// +kubebuilder:default={}
	// +optional
	Status ResellerPartnershipStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// ResellerPartnershipList contains a list of ResellerPartnership.
type ResellerPartnershipList struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard list metadata.
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	// items are the ResellerPartnerships.
	Items []ResellerPartnership `json:"items"`
}

// Condition types of a ResellerPartnership.
const (
	// ConditionActive is True while the reseller is in the provider's
	// indirect resellers list.
	ConditionActive = "Active"
	// ConditionRemovalConfirmed is True while a requested removal (state
	// Removed, or deletion with deletionPolicy Delete) carries
	// spec.removalConfirmation, and False, naming what is missing, while it
	// does not (R6). It is absent while no removal is requested.
	ConditionRemovalConfirmed = "RemovalConfirmed"
)

func init() {
	SchemeBuilder.Register(&ResellerPartnership{}, &ResellerPartnershipList{})
}

// IsActive tells whether the partnership is Active with the reseller's IDs
// known: its tenant ID (AssociatedPartnerId, support contact) and its MPN ID
// (partner of record). A nil partnership (not found) is not active.
func (rp *ResellerPartnership) IsActive() bool {
	return rp != nil && rp.Status.Phase == PhaseActive && rp.Status.ResellerTenantID != "" && rp.Status.ResellerMPNID != ""
}

// StateForHumans describes where the partnership is, for the messages of the
// objects that wait for it; nil means it does not exist.
func (rp *ResellerPartnership) StateForHumans() string {
	switch {
	case rp == nil:
		return "missing"
	case rp.Status.Phase == "":
		return "not reconciled yet"
	}
	return string(rp.Status.Phase)
}
