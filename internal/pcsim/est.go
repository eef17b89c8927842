package pcsim

import (
	"strings"
	"time"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// Extended Service Term dates (2026 notes §4.4): subscriptions bought on or
// after estPurchasedFrom that end on or after estEnforcedFrom without
// auto-renewal roll into the EST unless cancellation at term end was set.
var (
	estPurchasedFrom = time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	estEnforcedFrom  = time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC)
)

// endTermWithoutRenewal ends the term of a subscription without auto-renew:
// it expires when a term-end Cancel is scheduled or the EST does not apply;
// otherwise it stays active on month-to-month EST terms.
// Choices: every new-commerce (product:sku:availability) offer is in scope
// (the documents list products, not IDs); the EST term is P1M and nothing
// on the wire but termDuration says it is one. Callers hold s.mu.
func (s *Simulator) endTermWithoutRenewal(sub *subscriptionState, now time.Time) {
	for !now.Before(sub.commitmentEnd) {
		if !rollsIntoEST(sub) {
			sub.sub.Status = pc.SubscriptionStatusExpired
			break
		}
		sub.sub.TermDuration, sub.sub.RenewalTermDuration = pc.TermP1M, pc.TermP1M
		sub.sub.EffectiveStartDate = pc.FormatTime(sub.commitmentEnd)
		sub.commitmentEnd = addTerm(sub.commitmentEnd, pc.TermP1M)
		sub.sub.CommitmentEndDate = pc.FormatTime(sub.commitmentEnd)
	}
	sub.sub.Attributes.Etag = s.newEtag()
}

// rollsIntoEST tells whether the subscription's term end rolls it into the EST.
func rollsIntoEST(sub *subscriptionState) bool {
	bought, err := pc.ParseTime(sub.sub.CreationDate)
	if err != nil || bought.Before(estPurchasedFrom) || sub.commitmentEnd.Before(estEnforcedFrom) || strings.Count(sub.sub.OfferID, ":") != 2 {
		return false
	}
	for _, a := range sub.sub.ScheduledActions {
		if a.ScheduleType == pc.ScheduleTypeTermEnd && a.ActionType == pc.ActionCancel {
			return false
		}
	}
	return true
}
