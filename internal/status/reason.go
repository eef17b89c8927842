package status

import (
	"math/rand/v2"
	"time"
)

// RetryClass says how soon the operator looks at an object again after a
// reconcile ended with a reason of that class.
type RetryClass int

const (
	// Settled: nothing is pending; the object is looked at again on the
	// (jittered) resync period or when something it watches changes.
	Settled RetryClass = iota
	// RetryFast: a transient condition expected to clear in seconds
	// (a dependency being created, a conflict on write).
	RetryFast
	// RetrySlow: waiting on Partner Center or a person outside the cluster
	// (verification, a reseller accepting); polled with a growing, jittered delay.
	RetrySlow
	// NeedsUser: only a change to the object (or a person acting in the
	// portal) can unblock it. The object is Stalled and is not polled.
	NeedsUser
)

// String names the class for logs and docs.
func (c RetryClass) String() string {
	switch c {
	case Settled:
		return "Settled"
	case RetryFast:
		return "Fast"
	case RetrySlow:
		return "Slow"
	case NeedsUser:
		return "NeedsUser"
	}
	return "Unknown"
}

// Reason is a machine-readable condition reason (CamelCase) with the retry
// class that decides when the object is looked at again. Controllers declare
// their reasons as exported package-level values with a doc comment each.
type Reason struct {
	// Name is the CamelCase reason written to conditions.
	Name string
	// Class is the reason's retry class.
	Class RetryClass
}

// Shared reasons used by every kind.
var (
	// ReasonReconciling: the first visit; nothing has been decided yet.
	ReasonReconciling = Reason{Name: "Reconciling", Class: RetryFast}
	// ReasonPaused: the paused annotation is set; nothing is written to Partner Center.
	ReasonPaused = Reason{Name: "Paused", Class: Settled}
	// ReasonThrottled: Partner Center asked the operator to slow down
	// (429 + Retry-After); a Retry-After of up to 10 s is waited for inline,
	// a longer one ends the pass and the object is looked at again after exactly that delay.
	ReasonThrottled = Reason{Name: "Throttled", Class: RetryFast}
	// ReasonPartnerCenterError: Partner Center failed in a way that may clear by itself.
	ReasonPartnerCenterError = Reason{Name: "PartnerCenterError", Class: RetryFast}
	// ReasonInvalidSpec: the object breaks a rule that admission would have
	// refused (for example with the webhook turned off); fix the spec.
	ReasonInvalidSpec = Reason{Name: "InvalidSpec", Class: NeedsUser}
	// ReasonDeleting: the object is being deleted.
	ReasonDeleting = Reason{Name: "Deleting", Class: RetryFast}
	// ReasonSucceeded: the last reconcile against Partner Center succeeded (Synced).
	ReasonSucceeded = Reason{Name: "Succeeded", Class: Settled}
	// ReasonPartnerCenterRefused: Partner Center answered a call with a client
	// error (4xx) that may clear when something outside the object changes;
	// it is retried with a growing delay and its message is shown.
	ReasonPartnerCenterRefused = Reason{Name: "PartnerCenterRefused", Class: RetrySlow}
	// ReasonCredentialRequired: the call needs a credential the operator
	// was not given (App+User refresh token, or ARM); configure it.
	ReasonCredentialRequired = Reason{Name: "CredentialRequired", Class: NeedsUser}
	// ReasonMFARequired: Partner Center refused an App+User call because the
	// refresh token was not obtained with multi-factor authentication (401
	// 900421, enforced since 2026-04-01). Nothing retries it: re-consent the
	// application with an MFA sign-in and store the new refresh token in the
	// credentials Secret.
	ReasonMFARequired = Reason{Name: "MFARequired", Class: NeedsUser}
	// ReasonObserveOnly: managementPolicy is Observe and the spec asks for
	// something Partner Center does not hold (a customer to create, an order,
	// an attestation); nothing is written (I1). Looked at again on the resync
	// period, and at once when the spec changes (set Manage to let the operator act).
	ReasonObserveOnly = Reason{Name: "ObserveOnly", Class: Settled}
	// ReasonDriftObserved: managementPolicy is Observe and Partner Center
	// differs from the spec (Synced=False, the message lists what); nothing is
	// changed (I1). Set Manage to apply the spec.
	ReasonDriftObserved = Reason{Name: "DriftObserved", Class: Settled}
)

// Requeue delays. Variables so tests and benchmarks can shorten them.
var (
	// FastDelay is the base delay for RetryFast reasons.
	FastDelay = 2 * time.Second
	// SlowMinDelay is the first poll delay for RetrySlow reasons.
	SlowMinDelay = 5 * time.Second
	// SlowMaxDelay caps the poll delay for RetrySlow reasons.
	SlowMaxDelay = 10 * time.Minute
)

// PollDelay is the delay before looking again at something that has been
// waiting since `since`: a tenth of the time waited so far, bounded by
// SlowMinDelay and SlowMaxDelay, with ±20 % jitter so many objects created
// together do not poll Partner Center in lockstep. Fast at first, slower
// later, and never a hot loop.
func PollDelay(since, now time.Time) time.Duration {
	d := now.Sub(since) / 10
	d = min(max(d, SlowMinDelay), SlowMaxDelay)
	return Jitter(d)
}

// Jitter spreads d by ±20 %.
func Jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return d
	}
	spread := int64(d) * 2 / 5
	return time.Duration(int64(d) - spread/2 + rand.Int64N(spread+1))
}

// RequeueAfter picks when to look at an object again after a reconcile that
// ended with a reason of this class. since is when the current wait began
// (slow polls grow with it); resync is the drift-detection period for
// settled objects. Zero means "do not requeue": a NeedsUser object is woken
// only by a change to it or to what it watches.
func RequeueAfter(class RetryClass, since, now time.Time, resync time.Duration) time.Duration {
	switch class {
	case RetryFast:
		return Jitter(FastDelay)
	case RetrySlow:
		return PollDelay(since, now)
	case Settled:
		return Jitter(resync)
	}
	return 0
}
