package v1alpha1

import (
	"k8s.io/apimachinery/pkg/util/validation/field"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/validation"
)

// +kubebuilder:webhook:path=/validate-partnercenter-csp-dev-v1alpha1-subscription,mutating=false,failurePolicy=fail,sideEffects=None,groups=partnercenter.csp.dev,resources=subscriptions,verbs=create;update;delete,versions=v1alpha1,name=vsubscription-v1alpha1.partnercenter.csp.dev,admissionReviewVersions=v1

// SetupSubscriptionWebhookWithManager registers the Subscription validating webhook.
func SetupSubscriptionWebhookWithManager(mgr ctrl.Manager, cfg config.Operator) error {
	return register(mgr, &v1alpha1.Subscription{}, NewSubscriptionValidator(cfg))
}

// NewSubscriptionValidator returns the Subscription validator: R3 (a
// reseller as partner of record or support contact only for an indirect
// provider), S6 (no seat reduction or cancellation, also by deletion with
// deletionPolicy Delete, after its window) and a
// warning for S7 (an end of term left to Partner Center's paid extended term).
func NewSubscriptionValidator(cfg config.Operator) admission.Validator[*v1alpha1.Subscription] {
	return &ruleValidator[*v1alpha1.Subscription]{
		kind: "Subscription",
		spec: func(s *v1alpha1.Subscription) any { return s.Spec },
		rules: func(s, old *v1alpha1.Subscription) (field.ErrorList, []string) {
			return append(validation.Subscription(s, cfg), validation.SubscriptionWindow(s, old, cfg.Now())...), validation.EndOfTermWarnings(s)
		},
		deleteRules: func(s *v1alpha1.Subscription) field.ErrorList { return validation.SubscriptionDeletion(s, cfg.Now()) },
	}
}
