package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// LocalObjectReference names another object of this API in the same namespace.
type LocalObjectReference struct {
	// name of the referenced object, in the same namespace.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +required
	Name string `json:"name"`
}

// DeletionPolicy says what happens in Partner Center when the Kubernetes
// object is deleted.
// +kubebuilder:validation:Enum=Orphan;Delete
type DeletionPolicy string

const (
	// DeletionPolicyOrphan leaves the Partner Center resource as it is.
	DeletionPolicyOrphan DeletionPolicy = "Orphan"
	// DeletionPolicyDelete removes (or cancels) the Partner Center resource
	// where Partner Center allows it, and reports its refusal otherwise.
	DeletionPolicyDelete DeletionPolicy = "Delete"
)

// ManagementPolicy says whether the operator may change Partner Center for
// an object (Crossplane's vocabulary): Manage acts on the spec; Observe only
// reads and reports (status, conditions, drift) and never sends a write (I1).
// +kubebuilder:validation:Enum=Manage;Observe
type ManagementPolicy string

const (
	// ManagementPolicyManage creates, buys and changes what the spec declares.
	ManagementPolicyManage ManagementPolicy = "Manage"
	// ManagementPolicyObserve reads Partner Center and reports what differs
	// from the spec; nothing is created, bought, changed or deleted.
	ManagementPolicyObserve ManagementPolicy = "Observe"
)

// Backend names the Partner Center service an object was reconciled against.
type Backend string

const (
	// BackendSimulated is the operator's built-in Partner Center simulator:
	// nothing real was created or bought.
	BackendSimulated Backend = "Simulated"
	// BackendPartnerCenter is a real Partner Center endpoint.
	BackendPartnerCenter Backend = "PartnerCenter"
)

// Annotations understood on every kind of this API.
const (
	// AnnotationPaused set to "true" stops every write to Partner Center for
	// the object; the object reports Paused=True until it is removed.
	AnnotationPaused = "partnercenter.csp.dev/paused"
	// LabelReseller is set by the operator on Customers created for an
	// indirect reseller, to the ResellerPartnership's name (R7), so
	// `kubectl get pcc -l partnercenter.csp.dev/reseller=<name>` lists them.
	LabelReseller = "partnercenter.csp.dev/reseller"
	// Finalizer is held while Partner Center may hold something that the
	// object's deletion must take care of.
	Finalizer = "partnercenter.csp.dev/finalizer"
)

// Condition types shared by every kind. Each kind adds its own gate
// conditions (see the kind's status documentation).
const (
	// ConditionReady summarises the object: True when everything it declares
	// is in effect in Partner Center.
	ConditionReady = "Ready"
	// ConditionReconciling is True while the operator is working towards the
	// declared state (kstatus: InProgress).
	ConditionReconciling = "Reconciling"
	// ConditionStalled is True when only a person can unblock the object
	// (kstatus: Failed); its message says what to change.
	ConditionStalled = "Stalled"
	// ConditionPaused is True while the paused annotation is set.
	ConditionPaused = "Paused"
	// ConditionSynced reports the outcome of the last reconcile against
	// Partner Center, including drift found and corrected.
	ConditionSynced = "Synced"
)

// CommonStatus is the part of the status every kind of this API carries.
type CommonStatus struct {
	// observedGeneration is the metadata.generation the status was computed for.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// backend tells which Partner Center the object was reconciled against:
	// Simulated (the built-in simulator; nothing real exists) or PartnerCenter.
	// +optional
	Backend Backend `json:"backend,omitempty"`
	// conditions describe the object's state: Ready, Reconciling, Stalled,
	// Paused, Synced and the kind's own gate conditions.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// ManagedObject is implemented by every kind of this API, so shared code can
// gate every Partner Center write on the management policy the same way.
// +kubebuilder:object:generate=false
type ManagedObject interface {
	GetManagementPolicy() ManagementPolicy
}

// GetManagementPolicy returns the Customer's management policy.
func (c *Customer) GetManagementPolicy() ManagementPolicy { return c.Spec.ManagementPolicy }

// GetManagementPolicy returns the MCAAttestation's management policy.
func (m *MCAAttestation) GetManagementPolicy() ManagementPolicy { return m.Spec.ManagementPolicy }

// GetManagementPolicy returns the ResellerPartnership's management policy.
func (r *ResellerPartnership) GetManagementPolicy() ManagementPolicy { return r.Spec.ManagementPolicy }

// GetManagementPolicy returns the Subscription's management policy.
func (s *Subscription) GetManagementPolicy() ManagementPolicy { return s.Spec.ManagementPolicy }

// StatusObject is implemented by every kind of this API, so shared code can
// stamp conditions and observedGeneration the same way for all of them.
// +kubebuilder:object:generate=false
type StatusObject interface {
	GetCommonStatus() *CommonStatus
}

// GetCommonStatus returns the shared part of the Customer's status.
func (c *Customer) GetCommonStatus() *CommonStatus { return &c.Status.CommonStatus }

// GetCommonStatus returns the shared part of the MCAAttestation's status.
func (m *MCAAttestation) GetCommonStatus() *CommonStatus { return &m.Status.CommonStatus }

// GetCommonStatus returns the shared part of the ResellerPartnership's status.
func (r *ResellerPartnership) GetCommonStatus() *CommonStatus { return &r.Status.CommonStatus }

// GetCommonStatus returns the shared part of the Subscription's status.
func (s *Subscription) GetCommonStatus() *CommonStatus { return &s.Status.CommonStatus }
