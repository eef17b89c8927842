package mcaattestation

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

var testNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func reconcilerFor(role config.PartnerRole) *Reconciler {
	return &Reconciler{Reporter: phase.Reporter{Config: config.Operator{Role: role, Clock: clocktesting.NewFakePassiveClock(testNow)}}}
}

func attestation(method v1alpha1.AcceptanceMethod) *v1alpha1.MCAAttestation {
	a := &v1alpha1.MCAAttestation{
		ObjectMeta: metav1.ObjectMeta{Name: "contoso", Generation: 1},
		Spec:       v1alpha1.MCAAttestationSpec{CustomerRef: v1alpha1.LocalObjectReference{Name: "contoso"}, Method: method},
	}
	if method == v1alpha1.MethodPartnerAttestation {
		a.Spec.AcceptedBy = &v1alpha1.AcceptingPerson{FirstName: "Ana", LastName: "Souza", Email: "ana@contoso.example"}
		a.Spec.DateAgreed = "2026-03-10"
	}
	return a
}

// With the webhook off, the controller itself refuses what admission would
// have refused, before any Partner Center call (the External is nil here).
func TestM2ControllerRefusesResellerAttestationWithWebhooksOff(t *testing.T) {
	a := attestation(v1alpha1.MethodPartnerAttestation)
	h := reconcilerFor(config.RoleIndirectReseller).Validate(a)
	if h == nil || h.Outcome.Reason != status.ReasonInvalidSpec || !strings.Contains(h.Outcome.Message, "M2") ||
		!strings.Contains(h.Outcome.Message, "indirect provider must attest") {
		t.Fatalf("want InvalidSpec naming M2 and the indirect provider, got %+v", h)
	}
	if h := reconcilerFor(config.RoleIndirectProvider).Validate(a); h != nil {
		t.Fatalf("an indirect provider may attest, got %+v", h)
	}
	a.Status.AcceptedAt = &metav1.Time{Time: testNow}
	if h := reconcilerFor(config.RoleIndirectReseller).Validate(a); h != nil {
		t.Fatalf("an accepted attestation is never re-judged, got %+v", h)
	}
}

func TestM3ControllerRefusesFutureDateWithWebhooksOff(t *testing.T) {
	a := attestation(v1alpha1.MethodPartnerAttestation)
	a.Spec.DateAgreed = "2026-03-11"
	h := reconcilerFor(config.RoleDirectBill).Validate(a)
	if h == nil || h.Outcome.Reason.Class != status.NeedsUser || !strings.Contains(h.Outcome.Message, "M3") {
		t.Fatalf("want a stalled M3 refusal, got %+v", h)
	}
}

// M7: the direct-signed status is polled less often the longer the customer
// takes, never faster than the minimum and never slower than the cap.
func TestM7DirectAcceptancePollingSlowsDownWithTheWait(t *testing.T) {
	r := reconcilerFor(config.RoleDirectBill)
	requeue := func(waited time.Duration) time.Duration {
		a := attestation(v1alpha1.MethodDirectAcceptance)
		res, err := r.Finish(a, phase.WaitFor(ReasonWaitingForDirectAcceptance, testNow.Add(-waited), "waiting"), nil, status.Outcome{})
		if err != nil {
			t.Fatal(err)
		}
		return res.RequeueAfter
	}
	fresh, later, capped := requeue(0), requeue(10*status.SlowMinDelay*3), requeue(30*24*time.Hour)
	if fresh < status.SlowMinDelay*8/10 || fresh > status.SlowMinDelay*12/10 {
		t.Errorf("a fresh wait polls after %s, want about %s", fresh, status.SlowMinDelay)
	}
	if later <= fresh*12/10 {
		t.Errorf("a longer wait polls after %s, not slower than a fresh one (%s)", later, fresh)
	}
	if capped > status.SlowMaxDelay*12/10 {
		t.Errorf("a month-long wait polls after %s, above the cap %s", capped, status.SlowMaxDelay)
	}
}

// M9: past the bound the wait ends in Stalled (not polled any more); the
// CRD default and the code's default agree.
func TestM9DirectAcceptanceTimeoutStalls(t *testing.T) {
	r := reconcilerFor(config.RoleDirectBill)
	a := attestation(v1alpha1.MethodDirectAcceptance)
	a.Status.WaitingSince = &metav1.Time{Time: testNow.Add(-DefaultDirectAcceptanceTimeout)}
	c := &v1alpha1.Customer{}
	h, err := r.directAcceptanceImpossible(t.Context(), a, c, testNow)
	if err != nil || h == nil || h.Outcome.Reason != ReasonPartnerAttestationRequired || !strings.Contains(h.Outcome.Message, "PartnerAttestation") {
		t.Fatalf("want PartnerAttestationRequired, got %+v, %v", h, err)
	}
	a.Spec.DirectAcceptanceTimeout = &metav1.Duration{Duration: 2 * DefaultDirectAcceptanceTimeout}
	if h, err := r.directAcceptanceImpossible(t.Context(), a, c, testNow); h != nil || err != nil {
		t.Fatalf("within a longer declared bound the wait goes on, got %+v, %v", h, err)
	}
	if res, _ := r.Finish(a, phase.WaitFor(ReasonPartnerAttestationRequired, time.Time{}, "attest"), nil, status.Outcome{}); res.RequeueAfter != 0 {
		t.Errorf("a stalled attestation is requeued after %s; want only watches to wake it", res.RequeueAfter)
	}
}

// M6, M12: a confirmed acceptance is read again only while it could still
// stop counting (its date unknown, or M12 voids it).
func TestM12AConfirmedAcceptanceIsFinalUnlessItCanStopCounting(t *testing.T) {
	retired := wire.LegacyAttestationRetiredAt
	for _, tc := range []struct {
		name       string
		method     v1alpha1.AcceptanceMethod
		accepted   bool
		dateAgreed string
		now        time.Time
		want       bool
	}{
		{"not confirmed yet", v1alpha1.MethodPartnerAttestation, false, "2026-03-10", testNow, false},
		{"a direct acceptance (no date)", v1alpha1.MethodDirectAcceptance, true, "", testNow, true},
		{"an attestation dated after 2023-04-01", v1alpha1.MethodPartnerAttestation, true, "2026-03-10", testNow, true},
		{"an attestation whose date is unknown", v1alpha1.MethodPartnerAttestation, true, "", testNow, false},
		{"a 2021 attestation, before the legacy retirement", v1alpha1.MethodPartnerAttestation, true, "2021-06-14", retired.Add(-time.Hour), true},
		{"the same attestation once M12 applies", v1alpha1.MethodPartnerAttestation, true, "2021-06-14", retired, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := attestation(tc.method)
			a.Status.DateAgreed = tc.dateAgreed
			if tc.accepted {
				a.Status.AcceptedAt = &metav1.Time{Time: testNow}
				a.Status.AgreementStatus = v1alpha1.AgreementProvided
				status.MarkTrue(a, v1alpha1.ConditionAccepted, ReasonAccepted, "confirmed")
			}
			if got := acceptanceFinal(a, tc.now); got != tc.want {
				t.Fatalf("acceptanceFinal = %v, want %v", got, tc.want)
			}
		})
	}
}
