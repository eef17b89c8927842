package main

import (
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// Kind names one of the operator's kinds; the values are the controllers'
// names, as they appear in controller-runtime's metrics.
type Kind string

// The kinds of an onboarding.
const (
	KindResellerPartnership Kind = "resellerpartnership"
	KindCustomer            Kind = "customer"
	KindMCAAttestation      Kind = "mcaattestation"
	KindSubscription        Kind = "subscription"
)

// allKinds lists the kinds in the order an onboarding needs them.
var allKinds = []Kind{KindResellerPartnership, KindCustomer, KindMCAAttestation, KindSubscription}

// customersPerReseller is how many customers share one ResellerPartnership.
const customersPerReseller = 100

// benchNamespace holds every object of a run.
const benchNamespace = "bench"

// Workload is the objects of N onboardings.
type Workload struct {
	// N is the number of onboardings.
	N int
	// Objects are every object to create, resellers first.
	Objects []client.Object
}

// count returns how many objects of kind k the workload has.
func (w *Workload) count(k Kind) int {
	n := 0
	for _, o := range w.Objects {
		if kindOf(o) == k {
			n++
		}
	}
	return n
}

// resellers is how many ResellerPartnerships the workload has.
func (w *Workload) resellers() int { return w.count(KindResellerPartnership) }

// kindOf maps an object to its Kind.
func kindOf(o client.Object) Kind {
	switch o.(type) {
	case *v1alpha1.ResellerPartnership:
		return KindResellerPartnership
	case *v1alpha1.Customer:
		return KindCustomer
	case *v1alpha1.MCAAttestation:
		return KindMCAAttestation
	case *v1alpha1.Subscription:
		return KindSubscription
	}
	return ""
}

// NewWorkload builds n onboardings: a Customer, its partner attestation and
// a Subscription each, and one ResellerPartnership per 100 customers that
// its customers name. With lastApplied every object carries kubectl's
// last-applied-configuration annotation, as kubectl apply and Argo CD's
// default client-side apply leave it.
func NewWorkload(n int, lastApplied bool) *Workload {
	w := &Workload{N: n}
	for r := 0; r*customersPerReseller < n; r++ {
		w.Objects = append(w.Objects, reseller(r))
	}
	for i := range n {
		reseller := resellerName(i / customersPerReseller)
		w.Objects = append(w.Objects, customer(i, reseller), attestation(i), subscription(i, reseller))
	}
	if lastApplied {
		for _, obj := range w.Objects {
			annotateAsApplied(obj)
		}
	}
	return w
}

// annotateAsApplied records the object, as JSON, in the annotation kubectl
// apply keeps its last applied configuration in.
func annotateAsApplied(obj client.Object) {
	raw, err := json.Marshal(obj)
	if err != nil {
		panic(err) // the workload's own objects always marshal
	}
	obj.SetAnnotations(map[string]string{corev1.LastAppliedConfigAnnotation: string(raw)})
}

// resellerName names the r-th ResellerPartnership.
func resellerName(r int) string { return fmt.Sprintf("reseller-%03d", r) }

// customerName names the i-th Customer.
func customerName(i int) string { return fmt.Sprintf("customer-%05d", i) }

// objectMeta is the metadata of a bench object.
func objectMeta(name string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Namespace: benchNamespace, Name: name}
}

// reseller is the r-th ResellerPartnership; the simulator enrols any numeric MPN ID.
func reseller(r int) *v1alpha1.ResellerPartnership {
	return &v1alpha1.ResellerPartnership{
		ObjectMeta: objectMeta(resellerName(r)),
		Spec: v1alpha1.ResellerPartnershipSpec{
			ResellerMPNID: fmt.Sprintf("%d", 5100000+r),
			ResellerEmail: fmt.Sprintf("partners@reseller%03d.example", r),
		},
	}
}

// customer is the i-th new Dutch customer (no C6 extras needed), created on
// behalf of reseller.
func customer(i int, reseller string) *v1alpha1.Customer {
	return &v1alpha1.Customer{
		ObjectMeta: objectMeta(customerName(i)),
		Spec: v1alpha1.CustomerSpec{
			CompanyName: fmt.Sprintf("Northwind Traders %05d B.V.", i),
			Domain:      fmt.Sprintf("northwind%05d", i),
			Email:       fmt.Sprintf("billing@northwind%05d.example", i),
			Address: &v1alpha1.Address{
				AddressLine1: fmt.Sprintf("Keizersgracht %d", 1+i%900),
				City:         "Amsterdam", PostalCode: "1015 CV", Country: "NL",
			},
			PrimaryContact: &v1alpha1.Contact{
				FirstName: "Jan", LastName: "de Vries", Email: fmt.Sprintf("jan@northwind%05d.example", i),
			},
			Culture:             "nl-NL",
			Language:            "nl",
			IndirectResellerRef: &v1alpha1.LocalObjectReference{Name: reseller},
		},
	}
}

// attestation is the partner attestation of the i-th customer's MCA acceptance.
func attestation(i int) *v1alpha1.MCAAttestation {
	return &v1alpha1.MCAAttestation{
		ObjectMeta: objectMeta(customerName(i) + "-mca"),
		Spec: v1alpha1.MCAAttestationSpec{
			CustomerRef: v1alpha1.LocalObjectReference{Name: customerName(i)},
			Method:      v1alpha1.MethodPartnerAttestation,
			AcceptedBy: &v1alpha1.AcceptingPerson{
				FirstName: "Jan", LastName: "de Vries", Email: fmt.Sprintf("jan@northwind%05d.example", i),
			},
			DateAgreed: "2026-01-15",
		},
	}
}

// subscription is the i-th customer's Microsoft 365 subscription, with the
// reseller as partner of record.
func subscription(i int, reseller string) *v1alpha1.Subscription {
	return &v1alpha1.Subscription{
		ObjectMeta: objectMeta(customerName(i) + "-m365"),
		Spec: v1alpha1.SubscriptionSpec{
			CustomerRef:  v1alpha1.LocalObjectReference{Name: customerName(i)},
			OfferID:      "CFQ7TTC0LDPB:0001:CFQ7TTC0K3BV",
			Quantity:     10,
			TermDuration: "P1M",
			BillingCycle: v1alpha1.BillingMonthly,
			ResellerRef:  &v1alpha1.LocalObjectReference{Name: reseller},
		},
	}
}
