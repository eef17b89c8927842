package subscription

import (
	"fmt"
	"slices"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// termEndAction is the action the spec chose for the end of the term (S7):
// "" when the subscription renews (autoRenew) or the choice is left to
// Partner Center.
func termEndAction(spec *v1alpha1.SubscriptionSpec) string {
	if autoRenewOf(spec) {
		return ""
	}
	switch spec.EndOfTerm {
	case v1alpha1.EndOfTermCancel:
		return wire.ActionCancel
	case v1alpha1.EndOfTermExtendedServiceTerm:
		return wire.ActionRenewToExtendedServiceTerm
	}
	return ""
}

// scheduledTermEndAction is the term-end action Partner Center has scheduled ("" when none).
func scheduledTermEndAction(actions []wire.ScheduledAction) string {
	for _, a := range actions {
		if a.ScheduleType == wire.ScheduleTypeTermEnd {
			return a.ActionType
		}
	}
	return ""
}

// endOfTermChange sets next's term-end action to the spec's choice and
// describes the change (none when it is scheduled already or left to
// Partner Center).
func endOfTermChange(spec *v1alpha1.SubscriptionSpec, next *wire.Subscription) []string {
	want, have := termEndAction(spec), scheduledTermEndAction(next.ScheduledActions)
	if want == "" || want == have {
		return nil
	}
	actions := slices.DeleteFunc(slices.Clone(next.ScheduledActions), func(a wire.ScheduledAction) bool { return a.ScheduleType == wire.ScheduleTypeTermEnd })
	next.ScheduledActions = append(actions, wire.ScheduledAction{ScheduleType: wire.ScheduleTypeTermEnd, ActionType: want})
	return []string{fmt.Sprintf("end of term %q → %q", have, want)}
}

// endedAsChosen tells a subscription that expired because the spec chose
// to cancel it at its term end: the end state asked for, not a loss.
func endedAsChosen(spec *v1alpha1.SubscriptionSpec, remoteStatus string) bool {
	return remoteStatus == wire.SubscriptionStatusExpired && termEndAction(spec) == wire.ActionCancel
}
