package phase

import (
	"errors"
	"fmt"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

var testNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// testReporter reports at testNow with a 1 h resync.
var testReporter = Reporter{Config: config.Operator{Clock: clocktesting.NewFakePassiveClock(testNow), ResyncPeriod: time.Hour}}

// readyOutcome is a kind's ready outcome.
var readyOutcome = status.Outcome{Ready: true, Reason: status.Reason{Name: "Ready", Class: status.Settled}, Message: "ready"}

func TestForErrorPicksTheReasonByKindOfFailure(t *testing.T) {
	for _, tc := range []struct {
		name  string
		err   error
		want  status.Reason
		after time.Duration
	}{
		{"throttled waits for Retry-After", &partnercenter.ThrottledError{Operation: "GetCustomer", RetryAfter: 7 * time.Second}, status.ReasonThrottled, 7 * time.Second},
		{"missing App+User credential needs a person", fmt.Errorf("wrapped: %w", &partnercenter.CredentialRequiredError{Operation: "CreateCustomer", Kind: "App+User"}), status.ReasonCredentialRequired, 0},
		{"4xx is a refusal retried slowly", &partnercenter.Error{StatusCode: 400, Code: "2000"}, status.ReasonPartnerCenterRefused, 0},
		{"401 900421 (no MFA) needs a person", &partnercenter.Error{StatusCode: 401, Code: "900421"}, status.ReasonMFARequired, 0},
		{"408 is a transport failure retried fast", &partnercenter.Error{StatusCode: 408}, status.ReasonPartnerCenterError, 0},
		{"5xx is retried fast", &partnercenter.Error{StatusCode: 503}, status.ReasonPartnerCenterError, 0},
		{"network error is retried fast", errors.New("dial tcp: connection refused"), status.ReasonPartnerCenterError, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := ForError(tc.err)
			if h.Outcome.Reason != tc.want || h.After != tc.after {
				t.Fatalf("got reason %s after %s, want %s after %s", h.Outcome.Reason.Name, h.After, tc.want.Name, tc.after)
			}
		})
	}
}

func TestFinishReportsAndRequeuesByRetryClass(t *testing.T) {
	r, ready := testReporter, readyOutcome
	for _, tc := range []struct {
		name      string
		halt      *Halt
		err       error
		wantReady metav1.ConditionStatus
		wantSync  metav1.ConditionStatus
		min, max  time.Duration
	}{
		{"ready resyncs after the resync period, jittered ±20 %", nil, nil, metav1.ConditionTrue, metav1.ConditionTrue, 48 * time.Minute, 72 * time.Minute},
		{"throttled waits exactly Retry-After", nil, &partnercenter.ThrottledError{RetryAfter: 9 * time.Second}, metav1.ConditionFalse, metav1.ConditionFalse, 9 * time.Second, 9 * time.Second},
		{"needs-user is not polled", WaitFor(status.ReasonInvalidSpec, time.Time{}, "fix it"), nil, metav1.ConditionFalse, metav1.ConditionTrue, 0, 0},
		{"fast retry comes back within seconds", WaitFor(status.ReasonPartnerCenterError, time.Time{}, "again"), nil, metav1.ConditionFalse, metav1.ConditionTrue, status.FastDelay * 8 / 10, status.FastDelay * 12 / 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &v1alpha1.Customer{ObjectMeta: metav1.ObjectMeta{Generation: 3}}
			res, err := r.Finish(c, tc.halt, tc.err, ready)
			if err != nil {
				t.Fatal(err)
			}
			if got := status.Get(c, v1alpha1.ConditionReady); got == nil || got.Status != tc.wantReady {
				t.Errorf("Ready = %+v, want %s", got, tc.wantReady)
			}
			if got := status.Get(c, v1alpha1.ConditionSynced); got == nil || got.Status != tc.wantSync {
				t.Errorf("Synced = %+v, want %s", got, tc.wantSync)
			}
			if res.RequeueAfter < tc.min || res.RequeueAfter > tc.max {
				t.Errorf("requeue after %s, want within [%s, %s]", res.RequeueAfter, tc.min, tc.max)
			}
		})
	}
}

func TestPausedFollowsTheAnnotation(t *testing.T) {
	r := Reporter{}
	c := &v1alpha1.Customer{}
	c.Annotations = map[string]string{v1alpha1.AnnotationPaused: "true"}
	if !r.Paused(c) || !status.IsTrue(c, v1alpha1.ConditionPaused) {
		t.Fatal("a paused object must stop and show Paused=True")
	}
	delete(c.Annotations, v1alpha1.AnnotationPaused)
	if r.Paused(c) || status.Get(c, v1alpha1.ConditionPaused) != nil {
		t.Fatal("without the annotation the object goes on and Paused is removed")
	}
}

func TestDeletionPausedHoldsOnlyAPausedObject(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	c := &v1alpha1.Customer{}
	if h := DeletionPaused(c, now, "the customer is deleted in Partner Center"); h != nil {
		t.Fatalf("an object that is not paused is not held: %+v", h)
	}
	c.Annotations = map[string]string{v1alpha1.AnnotationPaused: "true"}
	h := DeletionPaused(c, now, "the customer is deleted in Partner Center")
	if h == nil || h.Outcome.Reason != status.ReasonPaused || !h.Since.Equal(now) ||
		h.Outcome.Message != "Paused: the customer is deleted in Partner Center once the paused annotation is removed." {
		t.Fatalf("want a Paused halt naming the write that waits, got %+v", h)
	}
}
