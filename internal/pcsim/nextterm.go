package pcsim

import (
	"reflect"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// nextTermRefused is why a PATCH may not set these scheduled next-term
// instructions: scheduled changes need auto-renew on (create-scheduled-changes
// page). Choice: 400 code 2000, as the page gives no code.
func nextTermRefused(cur, next pc.Subscription) (reply, bool) {
	if next.ScheduledNextTermInstructions == nil || reflect.DeepEqual(next.ScheduledNextTermInstructions, cur.ScheduledNextTermInstructions) || next.AutoRenewEnabled {
		return reply{}, false
	}
	return invalidInput("Scheduled changes at renewal need auto-renew enabled on the subscription."), true
}

// scheduleNextTerm applies a PATCH to the scheduled next-term instructions:
// "if you make a mid-term (immediate) change before your renewal date, all
// scheduled changes ... are deleted"; instructions the PATCH changes are set.
func scheduleNextTerm(cur *pc.Subscription, next pc.Subscription) {
	asRead := cur.ScheduledNextTermInstructions
	if next.Quantity != cur.Quantity || next.Status != cur.Status {
		cur.ScheduledNextTermInstructions = nil
	}
	if !reflect.DeepEqual(next.ScheduledNextTermInstructions, asRead) {
		cur.ScheduledNextTermInstructions = next.ScheduledNextTermInstructions
	}
}

// applyNextTerm carries the scheduled instructions out at a renewal:
// quantity, term and billing cycle of the new term. Callers hold s.mu.
func applyNextTerm(sub *subscriptionState) {
	in := sub.sub.ScheduledNextTermInstructions
	if in == nil {
		return
	}
	if in.Quantity > 0 {
		sub.sub.Quantity = in.Quantity
	}
	if in.Product.TermDuration != "" {
		sub.sub.TermDuration, sub.sub.RenewalTermDuration = in.Product.TermDuration, in.Product.TermDuration
	}
	if in.Product.BillingCycle != "" {
		sub.sub.BillingCycle = in.Product.BillingCycle
	}
	sub.sub.ScheduledNextTermInstructions = nil
}
