package validation

import "github.com/cspforge/partnercenter-operator/api/v1alpha1"

// EndOfTermWarnings is S7 at admission: a new-commerce subscription with
// autoRenew false and no endOfTerm is left to Partner Center, which rolls it
// into a paid Extended Service Term at its term end. Admitted, with a warning
// that says what it costs and how to choose.
func EndOfTermWarnings(s *v1alpha1.Subscription) []string {
	if s.Spec.AutoRenew == nil || *s.Spec.AutoRenew || s.Spec.EndOfTerm != "" || !IsNewCommerce(s.Spec.OfferID) {
		return nil
	}
	return []string{"S7: spec.autoRenew is false and spec.endOfTerm is unset: at its term end Partner Center rolls this subscription into a paid month-to-month Extended Service Term (+3 % on the monthly price, +23 % without a monthly plan) for subscriptions bought on or after 2025-04-01. Set spec.endOfTerm: Cancel to end it at its term end, or ExtendedServiceTerm to accept the extended term."}
}
