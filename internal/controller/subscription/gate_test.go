package subscription

import (
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// gateWorld builds order-gate inputs: a Subscription naming customer "contoso"
// and reseller "trey", with the referenced objects as the options make them.
type gateWorld struct {
	customerMissing, noCustomerID, unverified, staleVerification bool
	attestation                                                  metav1.ConditionStatus // "" = none
	customerAgreement                                            bool
	partnership                                                  v1alpha1.PartnershipPhase // "" = missing
}

func (w gateWorld) inputs() *orderInputs {
	in := &orderInputs{subscription: &v1alpha1.Subscription{Spec: v1alpha1.SubscriptionSpec{
		CustomerRef: v1alpha1.LocalObjectReference{Name: "contoso"},
		ResellerRef: &v1alpha1.LocalObjectReference{Name: "trey"},
	}}}
	if !w.customerMissing {
		c := &v1alpha1.Customer{ObjectMeta: metav1.ObjectMeta{Name: "contoso", Generation: 2}}
		if !w.noCustomerID {
			c.Status.CustomerID = "c-1"
		}
		verified := metav1.ConditionTrue
		if w.unverified {
			verified = metav1.ConditionFalse
		}
		status.Set(c, v1alpha1.ConditionVerified, verified, status.Reason{Name: "Test"}, "test")
		if w.staleVerification {
			c.Generation = 3 // a billing change the Customer controller has not seen yet
		}
		if w.customerAgreement {
			status.MarkTrue(c, v1alpha1.ConditionAgreementAccepted, status.Reason{Name: "Test"}, "test")
		}
		in.customer = c
	}
	if w.attestation != "" {
		a := v1alpha1.MCAAttestation{ObjectMeta: metav1.ObjectMeta{Name: "contoso-mca"}}
		status.Set(&a, v1alpha1.ConditionAccepted, w.attestation, status.Reason{Name: "Test"}, "test")
		in.attestations = []v1alpha1.MCAAttestation{a}
	}
	if w.partnership != "" {
		in.reseller = &v1alpha1.ResellerPartnership{Status: v1alpha1.ResellerPartnershipStatus{Phase: w.partnership, ResellerMPNID: "4847383", ResellerTenantID: "t-1"}}
	}
	return in
}

func TestOrderGateReportsTheFirstFailingCheck(t *testing.T) {
	open := gateWorld{attestation: metav1.ConditionTrue, partnership: v1alpha1.PhaseActive}
	for _, tc := range []struct {
		name   string
		world  func(gateWorld) gateWorld
		reason string // "" = the gate is open
		names  string // what the message must name
	}{
		{"everything in place opens the gate", func(w gateWorld) gateWorld { return w }, "", ""},
		{"no Customer object comes first, whatever else is missing", func(w gateWorld) gateWorld {
			w.customerMissing, w.attestation, w.partnership = true, "", ""
			return w
		}, v1alpha1.ReasonCustomerNotCreated, `Customer "contoso"`},
		{"a Customer not yet in Partner Center", func(w gateWorld) gateWorld { w.noCustomerID = true; return w }, v1alpha1.ReasonCustomerNotCreated, `Customer "contoso"`},
		{"C10: not Approved comes before the agreement", func(w gateWorld) gateWorld {
			w.unverified, w.attestation = true, ""
			return w
		}, v1alpha1.ReasonCustomerNotApproved, `Customer "contoso"`},
		{"C10: a billing change not verified yet blocks", func(w gateWorld) gateWorld { w.staleVerification = true; return w }, v1alpha1.ReasonCustomerNotApproved, "not been verified"},
		{"M10: no attestation", func(w gateWorld) gateWorld { w.attestation = ""; return w }, v1alpha1.ReasonAgreementNotAccepted, "no MCAAttestation"},
		{"M10: an attestation not accepted yet is named", func(w gateWorld) gateWorld { w.attestation = metav1.ConditionFalse; return w }, v1alpha1.ReasonAgreementNotAccepted, `MCAAttestation "contoso-mca"`},
		{"M10: the Customer's AgreementAccepted also confirms it", func(w gateWorld) gateWorld {
			w.attestation, w.customerAgreement = "", true
			return w
		}, "", ""},
		{"R1: a missing partnership", func(w gateWorld) gateWorld { w.partnership = ""; return w }, v1alpha1.ReasonResellerPartnershipNotActive, `ResellerPartnership "trey" (spec.resellerRef)`},
		{"R1: a requested partnership", func(w gateWorld) gateWorld { w.partnership = v1alpha1.PhaseRequested; return w }, v1alpha1.ReasonResellerPartnershipNotActive, "it is Requested"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reason, message, ok := firstFailing(tc.world(open).inputs())
			if tc.reason == "" {
				if !ok {
					t.Fatalf("gate closed with %s: %s", reason.Name, message)
				}
				return
			}
			if ok || reason.Name != tc.reason || !strings.Contains(message, tc.names) {
				t.Fatalf("got open=%t %s %q; want %s naming %q", ok, reason.Name, message, tc.reason, tc.names)
			}
		})
	}
}

func TestGateReasonsAreWokenByWatchesNotPolled(t *testing.T) {
	for _, r := range []status.Reason{ReasonCustomerNotCreated, ReasonCustomerNotApproved, ReasonAgreementNotAccepted, ReasonResellerPartnershipNotActive} {
		if r.Class != status.Settled {
			t.Errorf("%s is %s: a closed gate waits for the watches, it does not poll", r.Name, r.Class)
		}
	}
}
