package export

import (
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/subscription"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// typeMeta is the apiVersion and kind of an object of this API.
func typeMeta(kind string) metav1.TypeMeta {
	return metav1.TypeMeta{APIVersion: v1alpha1.GroupVersion.String(), Kind: kind}
}

// resellerObject is the ResellerPartnership adopting an active indirect
// reseller (I1). It is Orphan: deleting the file never asks for a removal.
func resellerObject(r wire.PartnerRelationship, policy v1alpha1.ManagementPolicy) *v1alpha1.ResellerPartnership {
	return &v1alpha1.ResellerPartnership{
		TypeMeta:   typeMeta("ResellerPartnership"),
		ObjectMeta: metav1.ObjectMeta{Name: resellerName(r)},
		Spec: v1alpha1.ResellerPartnershipSpec{
			ResellerMPNID: r.MpnID, ResellerTenantID: r.ID,
			DeletionPolicy: v1alpha1.DeletionPolicyOrphan, ManagementPolicy: policy,
		},
	}
}

// resellerName is the stable name of a reseller's ResellerPartnership.
func resellerName(r wire.PartnerRelationship) string {
	return objectName(r.Name, r.MpnID, "reseller")
}

// customerObject is the Customer adopting an existing customer (I1): its
// tenant, its legal name for people, and its reseller (label R7 and reference).
func customerObject(c wire.Customer, name, reseller string, policy v1alpha1.ManagementPolicy) *v1alpha1.Customer {
	obj := &v1alpha1.Customer{
		TypeMeta:   typeMeta("Customer"),
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec:       v1alpha1.CustomerSpec{ExistingCustomerTenantID: c.ID, ManagementPolicy: policy},
	}
	obj.Spec.CompanyName = companyName(c)
	if reseller != "" {
		obj.Labels = map[string]string{v1alpha1.LabelReseller: reseller}
		obj.Spec.IndirectResellerRef = &v1alpha1.LocalObjectReference{Name: reseller}
	}
	return obj
}

// companyName is the customer's legal name as Partner Center lists it.
func companyName(c wire.Customer) string {
	if c.CompanyProfile != nil && c.CompanyProfile.CompanyName != "" {
		return c.CompanyProfile.CompanyName
	}
	if c.BillingProfile != nil {
		return c.BillingProfile.CompanyName
	}
	return ""
}

// attestationObject is the MCAAttestation adopting the customer's confirmed
// acceptance of the MCA: the partner attestation Partner Center lists, else
// the customer's direct acceptance; nil when there is none (I1).
func attestationObject(customer string, agreements []wire.Agreement, signedDirectly bool, policy v1alpha1.ManagementPolicy) *v1alpha1.MCAAttestation {
	obj := &v1alpha1.MCAAttestation{
		TypeMeta:   typeMeta("MCAAttestation"),
		ObjectMeta: metav1.ObjectMeta{Name: customer + "-mca"},
		Spec: v1alpha1.MCAAttestationSpec{
			CustomerRef: v1alpha1.LocalObjectReference{Name: customer}, Method: v1alpha1.MethodDirectAcceptance, ManagementPolicy: policy,
		},
	}
	for _, a := range agreements {
		if a.Type != wire.AgreementTypeMCA {
			continue
		}
		p := a.PrimaryContact
		obj.Spec.Method = v1alpha1.MethodPartnerAttestation
		obj.Spec.AcceptedBy = &v1alpha1.AcceptingPerson{FirstName: p.FirstName, LastName: p.LastName, Email: p.Email, PhoneNumber: p.PhoneNumber}
		obj.Spec.TemplateID = a.TemplateID
		if agreed, err := wire.ParseTime(a.DateAgreed); err == nil {
			obj.Spec.DateAgreed = agreed.UTC().Format("2006-01-02")
		}
		return obj
	}
	if signedDirectly {
		return obj
	}
	return nil
}

// subscriptionObject is the Subscription adopting an existing subscription
// (spec.subscriptionID, I1) with the spec Partner Center shows, so adopting
// it changes nothing. reseller names the ResellerPartnership of its partner
// of record, if exported.
func subscriptionObject(s wire.Subscription, customer, reseller string, policy v1alpha1.ManagementPolicy) *v1alpha1.Subscription {
	autoRenew := s.AutoRenewEnabled
	obj := &v1alpha1.Subscription{
		TypeMeta:   typeMeta("Subscription"),
		ObjectMeta: metav1.ObjectMeta{Name: subscriptionName(customer, s)},
		Spec: v1alpha1.SubscriptionSpec{
			CustomerRef: v1alpha1.LocalObjectReference{Name: customer}, OfferID: s.OfferID, Quantity: int32(s.Quantity),
			TermDuration: termOf(s.TermDuration), BillingCycle: subscription.BillingCycleFromAPI(s.BillingCycle), AutoRenew: &autoRenew,
			FriendlyName: s.FriendlyName, SubscriptionID: s.ID, ManagementPolicy: policy,
		},
	}
	if len(obj.Spec.FriendlyName) > 128 {
		obj.Spec.FriendlyName = obj.Spec.FriendlyName[:128]
	}
	if s.Status == wire.SubscriptionStatusSuspended {
		obj.Spec.State = v1alpha1.SubscriptionSuspended
	}
	if reseller != "" {
		obj.Spec.ResellerRef = &v1alpha1.LocalObjectReference{Name: reseller}
	}
	return obj
}

// subscriptionName is the stable name of a subscription's Subscription:
// the customer's name stem, the offer's name and the subscription ID.
func subscriptionName(customer string, s wire.Subscription) string {
	offer := s.FriendlyName
	if offer == "" {
		offer = s.OfferName
	}
	stem := customer
	if i := strings.LastIndexByte(stem, '-'); i > 0 {
		stem = stem[:i] // the customer's own ID suffix: the subscription's follows
	}
	if len(stem) > 20 {
		stem = strings.TrimRight(stem[:20], "-")
	}
	return objectName(stem+" "+offer, s.ID, "subscription")
}

// exportable tells whether a subscription is one to adopt: it is in effect
// (active, suspended or pending), with a quantity the API can declare.
func exportable(s wire.Subscription) bool {
	switch s.Status {
	case wire.SubscriptionStatusActive, wire.SubscriptionStatusSuspended, wire.SubscriptionStatusPending:
		return s.Quantity >= 1 && s.OfferID != ""
	}
	return false
}

// termOf is the API's term as the spec spells it ("" when it has none).
func termOf(term string) v1alpha1.TermDuration {
	switch term {
	case wire.TermP1M, wire.TermP1Y, wire.TermP3Y:
		return v1alpha1.TermDuration(term)
	}
	return ""
}
