package resellerpartnership

import (
	"context"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

var testNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

const (
	testMPN  = "4847383"
	testLink = "https://partner.example/invite"
)

// fakeExternal answers the two calls from fixed values and counts them.
type fakeExternal struct {
	agreement *wire.ResellerAgreementStatus
	err       error
	listed    []wire.PartnerRelationship
	calls     int
}

func (f *fakeExternal) GetResellerAgreementStatus(context.Context, string) (*wire.ResellerAgreementStatus, error) {
	f.calls++
	return f.agreement, f.err
}

func (f *fakeExternal) ListIndirectResellers(context.Context) ([]wire.PartnerRelationship, error) {
	f.calls++
	return f.listed, nil
}

func reconcilerWith(role config.PartnerRole, ext External) *Reconciler {
	return &Reconciler{External: ext, Reporter: phase.Reporter{Config: config.Operator{
		Role: role, ResellerInvitationURL: testLink, Clock: clocktesting.NewFakePassiveClock(testNow),
	}}}
}

func newPartnership() *v1alpha1.ResellerPartnership {
	return &v1alpha1.ResellerPartnership{
		ObjectMeta: metav1.ObjectMeta{Name: "first-up", Generation: 1},
		Spec:       v1alpha1.ResellerPartnershipSpec{ResellerMPNID: testMPN, ResellerEmail: "partners@firstup.example"},
	}
}

var firstUp = wire.PartnerRelationship{ID: "484e548c-f5f3-4528-93a9-c16c6373cb59", Name: "First Up Consultants", MpnID: testMPN, State: "Active"}

// With the webhook off, the controller itself refuses a partnership for a
// partner that is not an indirect provider, before any Partner Center call.
func TestR1ControllerRefusesNonProviderWithWebhooksOff(t *testing.T) {
	for _, role := range []config.PartnerRole{config.RoleDirectBill, config.RoleIndirectReseller} {
		h := reconcilerWith(role, nil).Validate(newPartnership())
		if h == nil || h.Outcome.Reason != status.ReasonInvalidSpec || !strings.Contains(h.Outcome.Message, "R1") {
			t.Errorf("%s: want a stalled R1 refusal, got %+v", role, h)
		}
	}
	if h := reconcilerWith(config.RoleIndirectProvider, nil).Validate(newPartnership()); h != nil {
		t.Errorf("an indirect provider may partner, got %+v", h)
	}
}

func TestR1AgreementStatusVerdicts(t *testing.T) {
	refusedWith := func(code string) *partnercenter.Error {
		return &partnercenter.Error{StatusCode: 400, Code: code, Description: "server says " + code}
	}
	cases := []struct {
		name   string
		ext    *fakeExternal
		reason status.Reason
	}{
		{"2200 invalid or not migrated", &fakeExternal{err: refusedWith(wire.CodeMPNInvalid)}, ReasonMPNIDInvalid},
		{"2201 region mismatch", &fakeExternal{err: refusedWith(wire.CodeCSPRegionMismatch)}, ReasonCSPRegionMismatch},
		{"2203 MPA unsigned", &fakeExternal{err: refusedWith(wire.CodeMPANotSigned)}, ReasonMPANotSigned},
		{"2204 not an indirect reseller", &fakeExternal{err: refusedWith(wire.CodeMPNNotIndirectReseller)}, ReasonNotIndirectReseller},
		{"isAgreementSigned false", &fakeExternal{agreement: &wire.ResellerAgreementStatus{}}, ReasonMPANotSigned},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := reconcilerWith(config.RoleIndirectProvider, tc.ext)
			rp := newPartnership()
			h, err := r.checkReseller(t.Context(), rp)
			if err != nil || h == nil || h.Outcome.Reason != tc.reason || !strings.Contains(h.Outcome.Message, "R1") {
				t.Fatalf("want %s, got %+v, %v", tc.reason.Name, h, err)
			}
			if tc.ext.err != nil && !strings.Contains(h.Outcome.Message, "server says") {
				t.Errorf("the API's own words are missing: %q", h.Outcome.Message)
			}
			if res, _ := r.Finish(rp, h, nil, readyOutcome(rp)); res.RequeueAfter != 0 || !status.IsTrue(rp, v1alpha1.ConditionStalled) {
				t.Errorf("a refused reseller is Stalled and not polled; requeue %s", res.RequeueAfter)
			}
			if rp.Status.ResellerMPNID != "" {
				t.Errorf("a refused MPN ID was recorded as verified")
			}
		})
	}
}

func TestR1CheckIsMadeOnce(t *testing.T) {
	ext := &fakeExternal{agreement: &wire.ResellerAgreementStatus{IsAgreementSigned: true}}
	r := reconcilerWith(config.RoleIndirectProvider, ext)
	rp := newPartnership()
	for range 2 {
		if h, err := r.checkReseller(t.Context(), rp); h != nil || err != nil {
			t.Fatalf("an enrolled reseller passes, got %+v, %v", h, err)
		}
	}
	if ext.calls != 1 || rp.Status.ResellerMPNID != testMPN {
		t.Errorf("want one check recording the MPN ID, got %d calls and %q", ext.calls, rp.Status.ResellerMPNID)
	}
}

func TestR2EmailDraftCarriesTheLinkAndTheMPNID(t *testing.T) {
	d := emailDraft(newPartnership(), testLink, "partner.example")
	if d.To != "partners@firstup.example" {
		t.Errorf("to = %q", d.To)
	}
	for what, text := range map[string]string{"subject": d.Subject, "body": d.Body} {
		if !strings.Contains(text, testMPN) {
			t.Errorf("the %s does not name MPN ID %s: %q", what, testMPN, text)
		}
	}
	if !strings.Contains(d.Body, testLink) || !strings.Contains(d.Body, "partner.example") {
		t.Errorf("the body lacks the link or the signature: %q", d.Body)
	}
}

// R2: the list is polled less often the longer the reseller takes, with jitter.
func TestR2PollingSlowsDownWithTheWait(t *testing.T) {
	r := reconcilerWith(config.RoleIndirectProvider, nil)
	requeue := func(waited time.Duration) time.Duration {
		rp := newPartnership()
		rp.Status.Conditions = []metav1.Condition{{Type: v1alpha1.ConditionActive, Status: metav1.ConditionFalse, Reason: ReasonAwaitingAcceptance.Name, LastTransitionTime: metav1.NewTime(testNow.Add(-waited))}}
		h := r.request(rp)
		if h.Outcome.Reason != ReasonAwaitingAcceptance || rp.Status.Phase != v1alpha1.PhaseRequested {
			t.Fatalf("want Requested/AwaitingAcceptance, got %s/%+v", rp.Status.Phase, h)
		}
		res, _ := r.Finish(rp, h, nil, readyOutcome(rp))
		return res.RequeueAfter
	}
	fresh, hourLong := requeue(0), requeue(time.Hour)
	if fresh < status.SlowMinDelay*8/10 || fresh > status.SlowMinDelay*12/10 {
		t.Errorf("a fresh request polls after %s, want about %s", fresh, status.SlowMinDelay)
	}
	if hourLong < 6*time.Minute*8/10 || hourLong > 6*time.Minute*12/10 {
		t.Errorf("an hour-long wait polls after %s, want about 6m", hourLong)
	}
}

func TestR2WithoutInvitationLinkStalls(t *testing.T) {
	r := reconcilerWith(config.RoleIndirectProvider, nil)
	r.Config.ResellerInvitationURL = ""
	rp := newPartnership()
	h := r.request(rp)
	if h.Outcome.Reason != ReasonInvitationURLMissing || !strings.Contains(h.Outcome.Message, "--reseller-invitation-url") || rp.Status.EmailDraft != nil {
		t.Fatalf("want InvitationURLMissing naming the flag and no draft, got %+v", h)
	}
}

// TestR2WithoutResellerEmailStalls: spec.resellerEmail is optional (an
// active, imported partnership needs none, I1), but a request cannot be sent
// without it: the partnership stalls naming the field, with no draft.
func TestR2WithoutResellerEmailStalls(t *testing.T) {
	r := reconcilerWith(config.RoleIndirectProvider, nil)
	rp := newPartnership()
	rp.Spec.ResellerEmail = ""
	h := r.request(rp)
	if h == nil || h.Outcome.Reason != ReasonResellerEmailMissing || h.Outcome.Reason.Class != status.NeedsUser ||
		!strings.Contains(h.Outcome.Message, "spec.resellerEmail") || rp.Status.EmailDraft != nil {
		t.Fatalf("want a NeedsUser ResellerEmailMissing naming spec.resellerEmail and no draft, got %+v", h)
	}
	if c := status.Get(rp, v1alpha1.ConditionActive); c == nil || c.Status != metav1.ConditionFalse || c.Reason != ReasonResellerEmailMissing.Name {
		t.Errorf("Active = %+v, want False %s", c, ReasonResellerEmailMissing.Name)
	}
}

func TestR6RemovalNeedsConfirmationThenWaitsForThePortal(t *testing.T) {
	ext := &fakeExternal{listed: []wire.PartnerRelationship{firstUp}}
	r := reconcilerWith(config.RoleIndirectProvider, ext)
	rp := newPartnership()
	rp.Spec.State = v1alpha1.PartnershipRemoved
	rp.Status.Phase = v1alpha1.PhaseActive

	h, err := r.remove(t.Context(), rp)
	if err != nil || h == nil || h.Outcome.Reason != ReasonRemovalConfirmationRequired || rp.Status.Phase != v1alpha1.PhaseActive {
		t.Fatalf("want RemovalConfirmationRequired and still Active, got %+v, %v, phase %s", h, err, rp.Status.Phase)
	}
	if c := status.Get(rp, v1alpha1.ConditionRemovalConfirmed); c == nil || c.Status != metav1.ConditionFalse || !strings.Contains(c.Message, "spec.removalConfirmation") {
		t.Errorf("RemovalConfirmed does not name what is missing: %+v", c)
	}

	rp.Spec.RemovalConfirmation = "CHG-1"
	h, err = r.remove(t.Context(), rp)
	if err != nil || h == nil || h.Outcome.Reason != ReasonRemovalPending || rp.Status.Phase != v1alpha1.PhaseRemovalPending {
		t.Fatalf("want RemovalPending, got %+v, %v, phase %s", h, err, rp.Status.Phase)
	}
	for _, want := range []string{"no API", "Indirect resellers", firstUp.Name, firstUp.MpnID, firstUp.ID} {
		if !strings.Contains(h.Outcome.Message, want) {
			t.Errorf("the portal steps lack %q: %q", want, h.Outcome.Message)
		}
	}

	ext.listed = nil // a person ended it in the portal
	if h, err := r.remove(t.Context(), rp); h != nil || err != nil || rp.Status.Phase != v1alpha1.PhaseRemoved {
		t.Fatalf("want Removed once the reseller left the list, got %+v, %v, phase %s", h, err, rp.Status.Phase)
	}
	if o := readyOutcome(rp); o.Reason != ReasonRemoved {
		t.Errorf("a removed partnership reports %s", o.Reason.Name)
	}
}

// A partnership stalled because the operator had no invitation link is taken
// up by the operator restarted with --reseller-invitation-url: nothing of the
// stall is remembered but the status, and the first pass after the restart
// (every object is reconciled on start) requests the partnership.
func TestR2StalledWithoutLinkResumesAfterARestartWithTheLink(t *testing.T) {
	rp := newPartnership()
	before := reconcilerWith(config.RoleIndirectProvider, nil)
	before.Config.ResellerInvitationURL = ""
	if h := before.request(rp); h.Outcome.Reason != ReasonInvitationURLMissing {
		t.Fatalf("want InvitationURLMissing without the link, got %+v", h)
	}
	restarted := reconcilerWith(config.RoleIndirectProvider, nil)
	h := restarted.request(rp)
	if h.Outcome.Reason != ReasonAwaitingAcceptance || rp.Status.PartnershipRequestURL != testLink || rp.Status.EmailDraft == nil {
		t.Fatalf("want the request published with the configured link, got %+v, status %+v", h, rp.Status)
	}
}
