package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TermDuration is the subscription term, ISO 8601.
// +kubebuilder:validation:Enum=P1M;P1Y;P3Y
type TermDuration string

// BillingCycle is how often the subscription is billed.
// +kubebuilder:validation:Enum=Monthly;Annual;Triennial;OneTime
type BillingCycle string

const (
	// BillingMonthly bills every month.
	BillingMonthly BillingCycle = "Monthly"
	// BillingAnnual bills every year.
	BillingAnnual BillingCycle = "Annual"
	// BillingTriennial bills every three years.
	BillingTriennial BillingCycle = "Triennial"
	// BillingOneTime bills once.
	BillingOneTime BillingCycle = "OneTime"
)

// SubscriptionState is the desired state of a subscription.
// +kubebuilder:validation:Enum=Active;Suspended
type SubscriptionState string

const (
	// SubscriptionActive keeps the subscription active.
	SubscriptionActive SubscriptionState = "Active"
	// SubscriptionSuspended cancels the subscription (new commerce: only
	// within the cancellation window Partner Center reports).
	SubscriptionSuspended SubscriptionState = "Suspended"
)

// EndOfTerm is what happens to a new-commerce subscription whose term ends
// without auto-renewal (S7).
// +kubebuilder:validation:Enum=Cancel;ExtendedServiceTerm
type EndOfTerm string

const (
	// EndOfTermCancel ends the subscription at its term end (no grace period).
	EndOfTermCancel EndOfTerm = "Cancel"
	// EndOfTermExtendedServiceTerm lets it roll into Partner Center's paid,
	// month-to-month Extended Service Term.
	EndOfTermExtendedServiceTerm EndOfTerm = "ExtendedServiceTerm"
)

// ReductionsAt is when a seat reduction takes effect (S6).
// +kubebuilder:validation:Enum=Now;Renewal
type ReductionsAt string

const (
	// ReductionsNow applies a reduction at once: only seats still inside
	// their 7-day window can be returned.
	ReductionsNow ReductionsAt = "Now"
	// ReductionsAtRenewal schedules reductions, and term or billing cycle
	// changes, for the next renewal (auto-renew must be on).
	ReductionsAtRenewal ReductionsAt = "Renewal"
)

// Reasons an order is blocked by the order gate (S4). The OrderBlocked
// condition carries exactly one of them.
const (
	// ReasonCustomerNotCreated: the referenced Customer does not exist in
	// Partner Center yet.
	ReasonCustomerNotCreated = "CustomerNotCreated"
	// ReasonCustomerNotApproved: the customer's account is not Approved (C10).
	ReasonCustomerNotApproved = "CustomerNotApproved"
	// ReasonAgreementNotAccepted: the customer's MCA acceptance is not confirmed (M7, M10).
	ReasonAgreementNotAccepted = "AgreementNotAccepted"
	// ReasonResellerPartnershipNotActive: a named reseller partnership is not Active (R1).
	ReasonResellerPartnershipNotActive = "ResellerPartnershipNotActive"
)

// SubscriptionSpec declares a subscription: an offer plus a license
// quantity, optionally with a reseller and a support contact (S1).
// +kubebuilder:validation:XValidation:rule="has(self.subscriptionID) == has(oldSelf.subscriptionID)",message="subscriptionID cannot be added to or removed from an existing Subscription (I1): create a new Subscription to adopt a subscription, or to order one"
type SubscriptionSpec struct {
	// customerRef names the Customer (same namespace) the subscription is for. Immutable.
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="customerRef is immutable"
	// +required
	CustomerRef LocalObjectReference `json:"customerRef"`

	// offerID is the catalog offer, e.g. a new-commerce
	// productId:skuId:availabilityId such as CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P. Immutable.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9][A-Za-z0-9:_-]*$`
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="offerID is immutable: create a new Subscription for another offer"
	// +required
	OfferID string `json:"offerID"`

	// quantity is the number of licenses (S3: changed on the existing subscription).
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=300000
	// +required
	Quantity int32 `json:"quantity"`

	// termDuration is the term: P1M, P1Y or P3Y.
	// +kubebuilder:default=P1M
	// +optional
	TermDuration TermDuration `json:"termDuration,omitempty"`

	// billingCycle is Monthly, Annual, Triennial or OneTime.
	// +kubebuilder:default=Monthly
	// +optional
	BillingCycle BillingCycle `json:"billingCycle,omitempty"`

	// autoRenew renews the subscription at the end of its term.
	// +kubebuilder:default=true
	// +optional
	AutoRenew *bool `json:"autoRenew,omitempty"`

	// reductionsAt is when a lower quantity (and a changed term or billing
	// cycle) takes effect: Now (default; only inside the 7-day window,
	// S6) or Renewal (scheduled for the next renewal with Partner Center's
	// scheduled next-term instructions; auto-renew must be on). More seats
	// are always added at once.
	// +kubebuilder:default=Now
	// +optional
	ReductionsAt ReductionsAt `json:"reductionsAt,omitempty"`

	// endOfTerm is what happens when the term ends with autoRenew false (S7):
	// Cancel ends the subscription at its term end; ExtendedServiceTerm lets
	// it roll into the paid month-to-month Extended Service Term (+3 % on the
	// monthly price, +23 % where the offer has no monthly plan). Unset leaves
	// it to Partner Center, which since 2026-05-04 rolls subscriptions bought
	// on or after 2025-04-01 into the Extended Service Term. With autoRenew
	// true the subscription renews and this is not used.
	// +optional
	EndOfTerm EndOfTerm `json:"endOfTerm,omitempty"`

	// friendlyName is a display name for the subscription.
	// +kubebuilder:validation:MaxLength=128
	// +optional
	FriendlyName string `json:"friendlyName,omitempty"`

	// resellerRef names the ResellerPartnership whose reseller is partner of
	// record (its MPN ID) (R3, R5).
	// +optional
	ResellerRef *LocalObjectReference `json:"resellerRef,omitempty"`

	// supportContactRef names the ResellerPartnership whose reseller is the
	// designated support contact (R3).
	// +optional
	SupportContactRef *LocalObjectReference `json:"supportContactRef,omitempty"`

	// subscriptionID names a subscription that already exists in Partner
	// Center: it is adopted, never ordered (I1), once Partner Center shows it
	// as a subscription of the referenced customer for offerID; a mismatch is
	// refused with the reason and nothing is written. Immutable once set.
	// +kubebuilder:validation:Pattern=`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="subscriptionID is immutable: create a new Subscription to adopt another subscription"
	// +optional
	SubscriptionID string `json:"subscriptionID,omitempty"`

	// state is Active (default) or Suspended (cancels the subscription).
	// +kubebuilder:default=Active
	// +optional
	State SubscriptionState `json:"state,omitempty"`

	// deletionPolicy says what deleting this object does: Orphan (default)
	// leaves the subscription; Delete cancels it where Partner Center allows it.
	// +kubebuilder:default=Orphan
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

// SubscriptionStatus is the observed state of a Subscription.
type SubscriptionStatus struct {
	CommonStatus `json:",inline"`

	// customerID is the Partner Center customer the subscription was bought
	// for, recorded with the order so the subscription stays manageable (and
	// cancellable) whatever happens to the Customer object.
	// +optional
	CustomerID string `json:"customerID,omitempty"`

	// orderID is the Partner Center order that created the subscription.
	// +optional
	OrderID string `json:"orderID,omitempty"`

	// subscriptionID is the Partner Center subscription ID.
	// +optional
	SubscriptionID string `json:"subscriptionID,omitempty"`

	// remoteStatus is the subscription status as Partner Center reports it
	// (active, suspended, deleted, expired, pending, ...).
	// +optional
	RemoteStatus string `json:"remoteStatus,omitempty"`

	// quantity is the license quantity in effect in Partner Center.
	// +optional
	Quantity int32 `json:"quantity,omitempty"`

	// autoRenew is the auto-renew setting in effect in Partner Center.
	// +optional
	AutoRenew *bool `json:"autoRenew,omitempty"`

	// renewsAt is the end of the current term, when the subscription renews
	// (or expires without auto-renew).
	// +optional
	RenewsAt *metav1.Time `json:"renewsAt,omitempty"`

	// cancellationAllowedUntil is the end of the new-commerce cancellation
	// window (168 hours after the purchase or the last renewal, S6): until
	// then the subscription can be cancelled and its seats reduced; after it,
	// admission refuses both and they wait for the renewal.
	// +optional
	CancellationAllowedUntil *metav1.Time `json:"cancellationAllowedUntil,omitempty"`

	// refundableSeats are the seats that can still be returned (a quantity
	// decrease), batch by batch: seats added mid-term have their own 168-hour
	// window (S6).
	// +optional
	// +listType=atomic
	RefundableSeats []RefundableSeats `json:"refundableSeats,omitempty"`

	// scheduledNextTerm is what Partner Center applies at the next renewal
	// (scheduled next-term instructions), and when.
	// +optional
	ScheduledNextTerm *ScheduledNextTerm `json:"scheduledNextTerm,omitempty"`

	// partnerIDOnRecord is the reseller MPN ID recorded as partner of record.
	// +optional
	PartnerIDOnRecord string `json:"partnerIDOnRecord,omitempty"`

	// supportContact is the designated support contact's name, when set.
	// +optional
	SupportContact string `json:"supportContact,omitempty"`

	// supportContactMPNID is the MPN ID of the designated support contact, when set.
	// +optional
	SupportContactMPNID string `json:"supportContactMPNID,omitempty"`

	// lastSyncTime is when a read from Partner Center last changed what this
	// status records (a read that finds nothing new leaves it, so an idle
	// resync writes nothing).
	// +optional
	LastSyncTime *metav1.Time `json:"lastSyncTime,omitempty"`
}

// ScheduledNextTerm is a change scheduled for the next renewal.
type ScheduledNextTerm struct {
	// quantity is the license quantity from the renewal on.
	Quantity int32 `json:"quantity"`
	// termDuration is the term from the renewal on.
	// +optional
	TermDuration string `json:"termDuration,omitempty"`
	// billingCycle is the billing cycle from the renewal on, as Partner Center spells it.
	// +optional
	BillingCycle string `json:"billingCycle,omitempty"`
	// effectiveAt is the renewal the change takes effect at.
	// +optional
	EffectiveAt *metav1.Time `json:"effectiveAt,omitempty"`
}

// RefundableSeats is a batch of seats that can be returned until a date.
type RefundableSeats struct {
	// quantity is the number of seats in the batch.
	Quantity int32 `json:"quantity"`
	// until is when the batch's return window closes.
	Until metav1.Time `json:"until"`
}

// Subscription is a customer subscription bought through an order (legacy
// offers) or a cart and its checkout (new-commerce offers).
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=pcs,categories=partnercenter
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Reason",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`
// +kubebuilder:printcolumn:name="Customer",type=string,JSONPath=`.spec.customerRef.name`
// +kubebuilder:printcolumn:name="Offer",type=string,JSONPath=`.spec.offerID`
// +kubebuilder:printcolumn:name="Qty",type=integer,JSONPath=`.status.quantity`
// +kubebuilder:printcolumn:name="Subscription ID",type=string,JSONPath=`.status.subscriptionID`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
// +kubebuilder:printcolumn:name="Order ID",type=string,JSONPath=`.status.orderID`,priority=1
// +kubebuilder:printcolumn:name="Remote",type=string,JSONPath=`.status.remoteStatus`,priority=1
// Future dates print as strings: a date column shows an age, and kubectl prints `<invalid>` for a time still to come.
// +kubebuilder:printcolumn:name="Renews",type=string,JSONPath=`.status.renewsAt`,priority=1
// +kubebuilder:printcolumn:name="Cancel Until",type=string,JSONPath=`.status.cancellationAllowedUntil`,priority=1
// +kubebuilder:printcolumn:name="Message",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].message`,priority=1
type Subscription struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec declares the subscription.
	// +required
	Spec SubscriptionSpec `json:"spec"`

	// status is the observed state.
	// It is {} until the operator's first visit, so that expressions on
	// status (e.g. Flux's healthCheckExprs) always find it.
	// +kubebuilder:default={}
	// +optional
	Status SubscriptionStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// SubscriptionList contains a list of Subscription.
type SubscriptionList struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard list metadata.
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	// items are the Subscriptions.
	Items []Subscription `json:"items"`
}

// Condition types of a Subscription.
const (
	// ConditionOrdered is True once the order completed and the subscription exists.
	ConditionOrdered = "Ordered"
	// ConditionOrderBlocked is True while the order gate (S4) holds the
	// order; its reason says which check failed.
	ConditionOrderBlocked = "OrderBlocked"
	// ConditionChangesBlocked is True while changes to an existing
	// subscription are held because the customer is not Approved (C10, S5).
	ConditionChangesBlocked = "ChangesBlocked"
)

func init() {
	SchemeBuilder.Register(&Subscription{}, &SubscriptionList{})
}
