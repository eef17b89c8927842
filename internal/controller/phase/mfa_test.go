package phase

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// An App+User call refused for lack of MFA (401 900421) stalls the object
// with what to do and is not retried: only a new consent fixes it.
func TestMFARefusalStallsWithWhatToDoAndIsNotRetried(t *testing.T) {
	r := Reporter{Config: config.Operator{Clock: clocktesting.NewFakePassiveClock(testNow), ResyncPeriod: time.Hour}}
	c := &v1alpha1.Customer{ObjectMeta: metav1.ObjectMeta{Generation: 1}}
	refused := &partnercenter.Error{StatusCode: 401, Code: "900421", Operation: wire.OpGetAccountValidationStatus}
	res, err := r.Finish(c, nil, refused, status.Outcome{Ready: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.RequeueAfter != 0 {
		t.Errorf("requeued after %s: a 900421 must not be retried in a loop", res.RequeueAfter)
	}
	stalled := status.Get(c, v1alpha1.ConditionStalled)
	if stalled == nil || stalled.Status != metav1.ConditionTrue || stalled.Reason != status.ReasonMFARequired.Name {
		t.Fatalf("Stalled = %+v, want True %s", stalled, status.ReasonMFARequired.Name)
	}
	for _, want := range []string{"MFA", "consent the application again", "refresh token"} {
		if !strings.Contains(stalled.Message, want) {
			t.Errorf("the message does not say %q: %s", want, stalled.Message)
		}
	}
}

// The MFA refusal is about the credential, not the request: no phase may take
// it for a refusal of what it sent (and, say, drop its MS-RequestId).
func TestMFARefusalIsNotAClientError(t *testing.T) {
	if IsClientError(&partnercenter.Error{StatusCode: 401, Code: "900421"}) {
		t.Error("900421 counted as a refusal of the request")
	}
	if !IsClientError(&partnercenter.Error{StatusCode: 401, Code: "401"}) {
		t.Error("another 401 is still a client error")
	}
}
