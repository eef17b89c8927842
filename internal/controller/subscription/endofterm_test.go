package subscription_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/subscription"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

var _ = Describe("Subscription end of term", func() {
	var ns string
	inNewNamespace(&ns)

	It("S7: without auto-renewal the end of term is the spec's explicit choice: Cancel expires the subscription at its term end (Ready, no loop), ExtendedServiceTerm and no choice roll it into the Extended Service Term", func() {
		buyableCustomer(ns, "ending")
		off := false
		withChoice := func(name string, choice v1alpha1.EndOfTerm) *v1alpha1.Subscription {
			s := subscriptionObject(ns, name, "ending", 1)
			s.Spec.AutoRenew, s.Spec.EndOfTerm = &off, choice
			return orderedNow(s)
		}
		cancels := withChoice("cancels", v1alpha1.EndOfTermCancel)
		extends := withChoice("extends", v1alpha1.EndOfTermExtendedServiceTerm)
		unset := withChoice("unset", "")
		Expect(remote(cancels.Status.SubscriptionID).ScheduledActions).To(ConsistOf(wire.ScheduledAction{ScheduleType: wire.ScheduleTypeTermEnd, ActionType: wire.ActionCancel}))
		Expect(remote(extends.Status.SubscriptionID).ScheduledActions).To(ConsistOf(wire.ScheduledAction{ScheduleType: wire.ScheduleTypeTermEnd, ActionType: wire.ActionRenewToExtendedServiceTerm}))
		Expect(remote(unset.Status.SubscriptionID).ScheduledActions).To(BeEmpty(), "no choice is left to Partner Center")

		for _, s := range []*v1alpha1.Subscription{cancels, extends, unset} {
			quiet(s) // no pass that read the old term is still running
		}
		Expect(sim.Advance(32 * 24 * time.Hour)).To(Succeed()) // past the P1M term end
		for _, s := range []*v1alpha1.Subscription{cancels, extends, unset} {
			update(s, func(s *v1alpha1.Subscription) {
				metav1.SetMetaDataAnnotation(&s.ObjectMeta, "test/wake", rand.String(4))
			})
		}
		ended := eventually(cancels, func(s *v1alpha1.Subscription) bool {
			return s.Status.RemoteStatus == wire.SubscriptionStatusExpired
		},
			"the subscription did not end at its term end")
		Expect(hasCondition(ended, v1alpha1.ConditionReady, metav1.ConditionTrue, subscription.ReasonReady.Name)).To(BeTrue(), "an end chosen in the spec is not a failure")
		for _, s := range []*v1alpha1.Subscription{extends, unset} {
			rolled := eventually(s, func(s *v1alpha1.Subscription) bool {
				return s.Status.RenewsAt != nil && s.Status.RenewsAt.After(env.Clock.Now())
			}, s.Name+" did not roll into the Extended Service Term")
			Expect(rolled.Status.RemoteStatus).To(Equal(wire.SubscriptionStatusActive))
			Expect(remote(rolled.Status.SubscriptionID).TermDuration).To(Equal(wire.TermP1M))
		}
		rv := quiet(cancels)
		Consistently(func() string { return get(cancels).ResourceVersion }).WithTimeout(500*time.Millisecond).Should(Equal(rv), "an expired subscription loops")
	})
})
