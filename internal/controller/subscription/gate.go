package subscription

import (
	"context"
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// orderInputs are the Kubernetes objects the order gate reads, as the cache
// has them; nil means the object does not exist.
type orderInputs struct {
	// subscription is the Subscription being reconciled.
	subscription *v1alpha1.Subscription
	// customer is the Customer named by customerRef.
	customer *v1alpha1.Customer
	// attestations are the MCAAttestations naming that Customer.
	attestations []v1alpha1.MCAAttestation
	// reseller is the ResellerPartnership named by resellerRef.
	reseller *v1alpha1.ResellerPartnership
	// supportContact is the ResellerPartnership named by supportContactRef.
	supportContact *v1alpha1.ResellerPartnership
}

// gateCheck is one named check of the order gate (S4): a pure function of
// the inputs saying whether it passed and, if not, why and what it waits for.
type gateCheck struct {
	name  string
	check func(in *orderInputs) (passed bool, reason status.Reason, message string)
}

// orderGate is S4 in the order the rules build on each other: the customer
// exists, its account is Approved (C10), its MCA acceptance is confirmed (M7,
// M10), and every named reseller partnership is Active (R1, R3).
var orderGate = []gateCheck{
	{"customer exists", customerExists},
	{"customer approved", customerApproved},
	{"agreement accepted", agreementAccepted},
	{"reseller partnerships active", partnershipsActive},
}

// firstFailing runs the gate and returns the first check that fails, or ok.
func firstFailing(in *orderInputs) (reason status.Reason, message string, ok bool) {
	for _, g := range orderGate {
		if passed, reason, message := g.check(in); !passed {
			return reason, message, false
		}
	}
	return status.Reason{}, "", true
}

// customerExists: the referenced Customer exists in Partner Center (S4).
func customerExists(in *orderInputs) (bool, status.Reason, string) {
	name := in.subscription.Spec.CustomerRef.Name
	switch {
	case in.customer == nil:
		return false, ReasonCustomerNotCreated, fmt.Sprintf("S4: waiting for Customer %q: it does not exist; no order is placed before it is created in Partner Center.", name)
	case in.customer.Status.CustomerID == "":
		return false, ReasonCustomerNotCreated, fmt.Sprintf("S4: waiting for Customer %q to be created in Partner Center; no order is placed before.", name)
	}
	return true, status.Reason{}, ""
}

// customerApproved: the customer's account is Approved (C10), as the
// Customer's Verified condition reports it for its current spec (a billing
// change not yet seen by the Customer controller may start a re-verification).
func customerApproved(in *orderInputs) (bool, status.Reason, string) {
	name := in.subscription.Spec.CustomerRef.Name
	if in.customer == nil {
		return false, ReasonCustomerNotApproved, fmt.Sprintf("C10: Customer %q does not exist, so its account cannot be seen Approved.", name)
	}
	verified := status.Get(in.customer, v1alpha1.ConditionVerified)
	switch {
	case verified == nil:
		return false, ReasonCustomerNotApproved, fmt.Sprintf("C10: waiting for Customer %q to be verified and Approved; nothing is bought before.", name)
	case verified.ObservedGeneration != in.customer.Generation:
		return false, ReasonCustomerNotApproved, fmt.Sprintf("C10: waiting for Customer %q: its latest billing information has not been verified yet.", name)
	case verified.Status != metav1.ConditionTrue:
		return false, ReasonCustomerNotApproved, fmt.Sprintf("C10: waiting for Customer %q to be Approved (%s: %s)", name, verified.Reason, verified.Message)
	}
	return true, status.Reason{}, ""
}

// agreementAccepted: the customer's MCA acceptance is confirmed (M7, M10) by
// an MCAAttestation with Accepted=True or by the Customer's AgreementAccepted.
func agreementAccepted(in *orderInputs) (bool, status.Reason, string) {
	if in.customer != nil && status.IsTrue(in.customer, v1alpha1.ConditionAgreementAccepted) {
		return true, status.Reason{}, ""
	}
	var waiting []string
	for i := range in.attestations {
		if status.IsTrue(&in.attestations[i], v1alpha1.ConditionAccepted) {
			return true, status.Reason{}, ""
		}
		waiting = append(waiting, fmt.Sprintf("%q", in.attestations[i].Name))
	}
	name := in.subscription.Spec.CustomerRef.Name
	if len(waiting) == 0 {
		return false, ReasonAgreementNotAccepted, fmt.Sprintf("M10: waiting for Customer %q's acceptance of the Microsoft Customer Agreement: no MCAAttestation names it; create one (partner attestation or direct acceptance).", name)
	}
	return false, ReasonAgreementNotAccepted, fmt.Sprintf("M10: waiting for MCAAttestation %s to confirm Customer %q's acceptance of the Microsoft Customer Agreement.", strings.Join(waiting, ", "), name)
}

// partnershipsActive: every ResellerPartnership the spec names (as partner
// of record or support contact) is Active (R1, R3).
func partnershipsActive(in *orderInputs) (bool, status.Reason, string) {
	spec := in.subscription.Spec
	for _, named := range []struct {
		field string
		ref   *v1alpha1.LocalObjectReference
		rp    *v1alpha1.ResellerPartnership
	}{{"resellerRef", spec.ResellerRef, in.reseller}, {"supportContactRef", spec.SupportContactRef, in.supportContact}} {
		if named.ref == nil || named.rp.IsActive() {
			continue
		}
		return false, ReasonResellerPartnershipNotActive, fmt.Sprintf("R1: waiting for ResellerPartnership %q (spec.%s) to be Active (it is %s); nothing is ordered with a reseller before.",
			named.ref.Name, named.field, named.rp.StateForHumans())
	}
	return true, status.Reason{}, ""
}

// orderInputs reads what the Subscription references from the cache.
func (r *Reconciler) orderInputs(ctx context.Context, s *v1alpha1.Subscription) (*orderInputs, error) {
	in := &orderInputs{subscription: s, customer: &v1alpha1.Customer{}}
	found, err := r.get(ctx, s.Namespace, s.Spec.CustomerRef.Name, in.customer)
	if err != nil {
		return nil, err
	}
	if !found {
		in.customer = nil
	}
	var attestations v1alpha1.MCAAttestationList
	if err := r.Client.List(ctx, &attestations, client.InNamespace(s.Namespace), client.MatchingFields{controller.CustomerRefField: s.Spec.CustomerRef.Name}); err != nil {
		return nil, err
	}
	in.attestations = attestations.Items
	if in.reseller, err = r.partnership(ctx, s.Namespace, s.Spec.ResellerRef); err != nil {
		return nil, err
	}
	if in.supportContact, err = r.partnership(ctx, s.Namespace, s.Spec.SupportContactRef); err != nil {
		return nil, err
	}
	return in, nil
}

// partnership reads the named ResellerPartnership; nil when none is named or it does not exist.
func (r *Reconciler) partnership(ctx context.Context, namespace string, ref *v1alpha1.LocalObjectReference) (*v1alpha1.ResellerPartnership, error) {
	if ref == nil {
		return nil, nil
	}
	rp := &v1alpha1.ResellerPartnership{}
	found, err := r.get(ctx, namespace, ref.Name, rp)
	if err != nil || !found {
		return nil, err
	}
	return rp, nil
}

// get reads one object, reporting whether it exists.
func (r *Reconciler) get(ctx context.Context, namespace, name string, obj client.Object) (bool, error) {
	err := r.Client.Get(ctx, types.NamespacedName{Namespace: namespace, Name: name}, obj)
	if err != nil {
		return false, client.IgnoreNotFound(err)
	}
	return true, nil
}
