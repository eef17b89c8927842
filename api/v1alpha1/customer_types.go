package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Segment is the customer's market segment. Qualified segments (Education,
// Government, Nonprofit) are requested after creation and tracked (C8).
// +kubebuilder:validation:Enum=Commercial;Education;Government;Nonprofit
type Segment string

const (
	// SegmentCommercial is the default segment; nothing is requested.
	SegmentCommercial Segment = "Commercial"
	// SegmentEducation requests the Education qualification after creation.
	SegmentEducation Segment = "Education"
	// SegmentGovernment requests the GovernmentCommunityCloud qualification.
	SegmentGovernment Segment = "Government"
	// SegmentNonprofit requests the Nonprofit qualification.
	SegmentNonprofit Segment = "Nonprofit"
)

// Address is a postal address in the form Partner Center validates it (C5).
type Address struct {
	// addressLine1 is the first street line.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=200
	// +required
	AddressLine1 string `json:"addressLine1"`
	// addressLine2 is an optional second line.
	// +kubebuilder:validation:MaxLength=200
	// +optional
	AddressLine2 string `json:"addressLine2,omitempty"`
	// addressLine3 is an optional third line.
	// +kubebuilder:validation:MaxLength=200
	// +optional
	AddressLine3 string `json:"addressLine3,omitempty"`
	// city is the city or locality.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=100
	// +required
	City string `json:"city"`
	// state is the region or state, where the country uses one (e.g. WA, SP).
	// +kubebuilder:validation:MaxLength=100
	// +optional
	State string `json:"state,omitempty"`
	// postalCode is the postal or ZIP code.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=20
	// +required
	PostalCode string `json:"postalCode"`
	// country is the ISO 3166-1 alpha-2 code (e.g. US, BR, NL). It cannot be
	// changed once set: Partner Center fixes a customer's country.
	// +kubebuilder:validation:Pattern=`^[A-Z]{2}$`
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="address.country is immutable: Partner Center fixes a customer's country at creation"
	// +required
	Country string `json:"country"`
}

// Contact is a person: the customer's primary contact.
type Contact struct {
	// firstName of the person (C3: not a placeholder, at most 40 characters).
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=40
	// +required
	FirstName string `json:"firstName"`
	// lastName of the person (C3: not a placeholder, at most 40 characters).
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=40
	// +required
	LastName string `json:"lastName"`
	// email of the person.
	// +kubebuilder:validation:MaxLength=254
	// +kubebuilder:validation:Pattern=`^[^@\s]+@[^@\s]+\.[^@\s]+$`
	// +optional
	Email string `json:"email,omitempty"`
	// phoneNumber of the person, digits with an optional leading + and separators.
	// +kubebuilder:validation:MaxLength=30
	// +kubebuilder:validation:Pattern=`^\+?[0-9][0-9 ()./-]{3,29}$`
	// +optional
	PhoneNumber string `json:"phoneNumber,omitempty"`
}

// CustomerSpec declares a Partner Center customer: either a new tenant the
// operator creates (domain set) or an existing tenant the partner builds a
// reseller relationship with (existingCustomerTenantID set, C7).
// +kubebuilder:validation:XValidation:rule="has(self.domain) != has(self.existingCustomerTenantID)",message="set exactly one of domain (create a new customer) or existingCustomerTenantID (build a relationship with an existing customer, C7)"
// +kubebuilder:validation:XValidation:rule="!has(self.domain) || (has(self.companyName) && has(self.email) && has(self.address) && has(self.primaryContact))",message="a new customer (domain set) needs companyName, email, address and primaryContact"
// +kubebuilder:validation:XValidation:rule="!has(self.address) || !(self.address.country in ['AM','AZ','BY','BR','HU','IN','IQ','KZ','KG','MD','MM','PL','RU','SA','ZA','SS','TJ','TH','TR','UA','AE','UZ','VE','VN']) || (has(self.companyRegistrationID) && size(self.companyRegistrationID) > 0 && has(self.phoneNumber) && size(self.phoneNumber) > 0)",messageExpression="'C6: a company in ' + self.address.country + ' needs both companyRegistrationID (the company tax ID, not a personal ID) and phoneNumber (the company phone)'",fieldPath=".companyRegistrationID"
// +kubebuilder:validation:XValidation:rule="!has(oldSelf.domain) || has(self.domain)",message="domain is immutable: it cannot be removed once set"
// +kubebuilder:validation:XValidation:rule="!has(oldSelf.existingCustomerTenantID) || (has(self.existingCustomerTenantID) && self.existingCustomerTenantID == oldSelf.existingCustomerTenantID)",message="existingCustomerTenantID is immutable"
// +kubebuilder:validation:XValidation:rule="!has(oldSelf.address) || has(self.address)",message="address cannot be removed once set"
// +kubebuilder:validation:XValidation:rule="has(self.indirectResellerRef) == has(oldSelf.indirectResellerRef)",message="indirectResellerRef is immutable: the reseller is fixed when the customer is created, so it can be neither added nor removed later (create another Customer for another reseller)",fieldPath=".indirectResellerRef"
type CustomerSpec struct {
	// companyName is the customer's exact legal name (C2), as it appears on
	// official documents. Changing it triggers a new verification (C10).
	// +kubebuilder:validation:MinLength=2
	// +kubebuilder:validation:MaxLength=255
	// +optional
	CompanyName string `json:"companyName,omitempty"`

	// domain is the <prefix> of the customer's new <prefix>.onmicrosoft.com
	// domain: lowercase letters and digits. It must be free (C13) and cannot
	// be changed.
	// +kubebuilder:validation:MinLength=2
	// +kubebuilder:validation:MaxLength=27
	// +kubebuilder:validation:Pattern=`^[a-z0-9]+$`
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="domain is immutable: an onmicrosoft.com domain cannot be renamed"
	// +optional
	Domain string `json:"domain,omitempty"`

	// email is the billing profile e-mail (C4: not in microsoft.com, not in the
	// partner's own domain). Changing it triggers a new verification (C10).
	// +kubebuilder:validation:MaxLength=254
	// +kubebuilder:validation:Pattern=`^[^@\s]+@[^@\s]+\.[^@\s]+$`
	// +optional
	Email string `json:"email,omitempty"`

	// culture is the billing culture, e.g. en-US.
	// +kubebuilder:default="en-US"
	// +kubebuilder:validation:Pattern=`^[a-z]{2}-[A-Z]{2}$`
	// +optional
	Culture string `json:"culture,omitempty"`

	// language is the two-letter billing language, e.g. en.
	// +kubebuilder:default="en"
	// +kubebuilder:validation:Pattern=`^[a-z]{2}$`
	// +optional
	Language string `json:"language,omitempty"`

	// address is the full billing address (C5), validated with Partner
	// Center before the customer is created.
	// +optional
	Address *Address `json:"address,omitempty"`

	// primaryContact is the customer's primary contact (C3); the MCA notice
	// (M5) goes to this person.
	// +optional
	PrimaryContact *Contact `json:"primaryContact,omitempty"`

	// companyRegistrationID is the company's tax ID (organization
	// registration number / INN), never a personal ID. Required in the C6
	// countries. Fixed once the customer exists: Partner Center has no API
	// to change it; change it in the Partner Center portal, after which
	// Microsoft verifies the customer again (C10, shown in verificationStatus).
	// +kubebuilder:validation:MaxLength=50
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9][A-Za-z0-9 ./-]*$`
	// +optional
	CompanyRegistrationID string `json:"companyRegistrationID,omitempty"`

	// phoneNumber is the company phone number. Required in the C6 countries.
	// +kubebuilder:validation:MaxLength=30
	// +kubebuilder:validation:Pattern=`^\+?[0-9][0-9 ()./-]{3,29}$`
	// +optional
	PhoneNumber string `json:"phoneNumber,omitempty"`

	// segment is the customer's market segment; qualified segments are
	// requested after creation and tracked to their outcome (C8).
	// +kubebuilder:default=Commercial
	// +optional
	Segment Segment `json:"segment,omitempty"`

	// educationSegment is K12 or HigherEducation, used when segment is Education.
	// +kubebuilder:validation:Enum=K12;HigherEducation
	// +optional
	EducationSegment string `json:"educationSegment,omitempty"`

	// governmentValidationCode is the validation code Microsoft issued for
	// the Government Community Cloud qualification; Partner Center requires
	// it when segment is Government (C8).
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9-]+$`
	// +optional
	GovernmentValidationCode string `json:"governmentValidationCode,omitempty"`

	// indirectResellerRef names the ResellerPartnership (same namespace) on
	// whose behalf an indirect provider creates the customer (R3, R4). The
	// customer is created only once that partnership is Active.
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="indirectResellerRef is immutable: the reseller is fixed when the customer is created"
	// +optional
	IndirectResellerRef *LocalObjectReference `json:"indirectResellerRef,omitempty"`

	// existingCustomerTenantID is the tenant ID of an existing customer (also
	// a multi-partner one) to build a reseller relationship with instead of
	// creating a customer (C7). Mutually exclusive with domain.
	// +kubebuilder:validation:Pattern=`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`
	// +optional
	ExistingCustomerTenantID string `json:"existingCustomerTenantID,omitempty"`

	// defaultGDAP is the explicit default-GDAP choice made on creation (C9).
	// Granular permissions are never granted implicitly.
	// +kubebuilder:default=true
	// +optional
	DefaultGDAP *bool `json:"defaultGDAP,omitempty"`

	// costManagement switches on Microsoft Cost Management (viewCharges) for
	// the customer's Azure subscriptions once the customer exists (C11).
	// +optional
	CostManagement bool `json:"costManagement,omitempty"`

	// credentialsSecretName is the Secret (same namespace, owned by this
	// Customer) that receives the admin user name and temporary password
	// returned once at creation (C12). Default: <metadata.name>-admin-credentials.
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
	// +optional
	CredentialsSecretName string `json:"credentialsSecretName,omitempty"`

	// deletionPolicy says what deleting this object does in Partner Center:
	// Orphan (default) leaves the customer; Delete deletes it where Partner
	// Center allows it (integration sandbox). Adopted customers are never deleted.
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

// SuggestedAddress is an address Partner Center proposes instead of the
// declared one.
type SuggestedAddress struct {
	// addressLine1 is the first street line.
	// +optional
	AddressLine1 string `json:"addressLine1,omitempty"`
	// addressLine2 is the second line.
	// +optional
	AddressLine2 string `json:"addressLine2,omitempty"`
	// city is the city or locality.
	// +optional
	City string `json:"city,omitempty"`
	// state is the region or state.
	// +optional
	State string `json:"state,omitempty"`
	// postalCode is the postal code.
	// +optional
	PostalCode string `json:"postalCode,omitempty"`
	// country is the ISO 3166-1 alpha-2 code.
	// +optional
	Country string `json:"country,omitempty"`
}

// AddressValidation is the outcome of Partner Center's address check (C5).
type AddressValidation struct {
	// status is Partner Center's verdict as it sends it (VerifiedShippable,
	// Verified, InteractionRequired, StreetPartial, PremisesPartial,
	// Multiple, None, NotValidated). Only Verified and VerifiedShippable pass.
	// +optional
	Status string `json:"status,omitempty"`
	// message is Partner Center's validation message, if any.
	// +optional
	Message string `json:"message,omitempty"`
	// suggestedAddresses are Partner Center's proposals; copy one into
	// spec.address to proceed.
	// +optional
	SuggestedAddresses []SuggestedAddress `json:"suggestedAddresses,omitempty"`
}

// QualificationStatus tracks a segment qualification request (C8).
type QualificationStatus struct {
	// qualification requested: Education, GovernmentCommunityCloud or Nonprofit.
	// +optional
	Qualification string `json:"qualification,omitempty"`
	// vettingStatus as Partner Center reports it: InReview, Approved, Denied.
	// +optional
	VettingStatus string `json:"vettingStatus,omitempty"`
	// vettingReason explains a denial.
	// +optional
	VettingReason string `json:"vettingReason,omitempty"`
}

// CustomerStatus is the observed state of a Customer.
type CustomerStatus struct {
	CommonStatus `json:",inline"`

	// customerID is the Partner Center customer ID, which is also the
	// customer's Microsoft Entra tenant ID.
	// +optional
	CustomerID string `json:"customerID,omitempty"`

	// verificationStatus is the account validation status exactly as Partner
	// Center reports it (Unknown, UnderReview, Allowed, NotAllowed, Not Ready),
	// or empty when Partner Center has no status for the customer. Purchases
	// are allowed only for Allowed or no status (C10).
	// +optional
	VerificationStatus string `json:"verificationStatus,omitempty"`

	// billingProfileETag is the version of the billing profile Partner
	// Center last showed or took from the operator. Verification ends once
	// approved and starts again only when the billing information changes
	// (C10), so a verified customer's verification status is read again only
	// when the profile's version is no longer this one.
	// +optional
	BillingProfileETag string `json:"billingProfileETag,omitempty"`

	// agreementStatus is the customer's Microsoft Customer Agreement state
	// read back from Partner Center: Provided or NotProvided (M6).
	// +optional
	AgreementStatus string `json:"agreementStatus,omitempty"`

	// relationshipRequestURL is the partner's reseller relationship request
	// link to send to an existing customer (C7).
	// +optional
	RelationshipRequestURL string `json:"relationshipRequestURL,omitempty"`

	// addressValidation is the outcome of the last address check (C5).
	// +optional
	AddressValidation *AddressValidation `json:"addressValidation,omitempty"`

	// qualification tracks a segment qualification (C8).
	// +optional
	Qualification *QualificationStatus `json:"qualification,omitempty"`

	// costManagement is the customer's Cost Management policy as last set
	// (viewCharges: Allowed or NotAllowed) (C11).
	// +optional
	CostManagement string `json:"costManagement,omitempty"`

	// credentialsSecretName is the Secret holding the admin user name and
	// temporary password (never the password itself).
	// +optional
	CredentialsSecretName string `json:"credentialsSecretName,omitempty"`

	// adopted is true when the customer already existed and was not created
	// by the operator (C7); adopted customers are never deleted.
	// +optional
	Adopted bool `json:"adopted,omitempty"`
}

// Customer is a Microsoft Partner Center customer of the CSP partner.
// +kubebuilder:validation:XValidation:rule="!has(oldSelf.status) || !has(oldSelf.status.customerID) || (has(self.spec.companyRegistrationID) == has(oldSelf.spec.companyRegistrationID) && (!has(self.spec.companyRegistrationID) || self.spec.companyRegistrationID == oldSelf.spec.companyRegistrationID))",message="C10: spec.companyRegistrationID cannot change once the customer exists: Partner Center has no API for it. Change it in the Partner Center portal (Customers, the customer, Account); Microsoft then verifies the customer again and status.verificationStatus shows it",fieldPath=".spec.companyRegistrationID"
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=pcc,categories=partnercenter
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Paused",type=string,JSONPath=`.status.conditions[?(@.type=="Paused")].status`
// +kubebuilder:printcolumn:name="Reason",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`
// +kubebuilder:printcolumn:name="Customer ID",type=string,JSONPath=`.status.customerID`
// +kubebuilder:printcolumn:name="Verification",type=string,JSONPath=`.status.verificationStatus`
// +kubebuilder:printcolumn:name="Agreement",type=string,JSONPath=`.status.agreementStatus`
// +kubebuilder:printcolumn:name="Reseller",type=string,JSONPath=`.spec.indirectResellerRef.name`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
// +kubebuilder:printcolumn:name="Domain",type=string,JSONPath=`.spec.domain`,priority=1
// +kubebuilder:printcolumn:name="Country",type=string,JSONPath=`.spec.address.country`,priority=1
// +kubebuilder:printcolumn:name="Backend",type=string,JSONPath=`.status.backend`,priority=1
// +kubebuilder:printcolumn:name="Message",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].message`,priority=1
type Customer struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec declares the customer.
	// +required
	Spec CustomerSpec `json:"spec"`

	// status is the customer's observed state.
	// It is {} until the operator's first visit, so that expressions on
	// status (e.g. Flux's healthCheckExprs) always find it.
	// +kubebuilder:default={}
	// +optional
	Status CustomerStatus `json:"status,omitempty"`
}

// CredentialsSecretName is the Secret that receives the customer admin's
// temporary credentials (C12).
func (c *Customer) CredentialsSecretName() string {
	if c.Spec.CredentialsSecretName != "" {
		return c.Spec.CredentialsSecretName
	}
	return c.Name + "-admin-credentials"
}

// +kubebuilder:object:root=true

// CustomerList contains a list of Customer.
type CustomerList struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard list metadata.
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	// items are the Customers.
	Items []Customer `json:"items"`
}

// Condition types of a Customer.
const (
	// ConditionCreated is True once the customer exists in Partner Center
	// (created or adopted).
	ConditionCreated = "Created"
	// ConditionVerified is True exactly when Partner Center allows purchases
	// for the customer (account status Allowed, or no status at all) (C10).
	ConditionVerified = "Verified"
	// ConditionAgreementAccepted is True when the customer's acceptance of
	// the Microsoft Customer Agreement is confirmed (M6).
	ConditionAgreementAccepted = "AgreementAccepted"
)

func init() {
	SchemeBuilder.Register(&Customer{}, &CustomerList{})
}
