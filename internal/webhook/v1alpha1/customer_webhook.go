package v1alpha1

import (
	"k8s.io/apimachinery/pkg/util/validation/field"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/validation"
)

// +kubebuilder:webhook:path=/validate-partnercenter-csp-dev-v1alpha1-customer,mutating=false,failurePolicy=fail,sideEffects=None,groups=partnercenter.csp.dev,resources=customers,verbs=create;update,versions=v1alpha1,name=vcustomer-v1alpha1.partnercenter.csp.dev,admissionReviewVersions=v1

// SetupCustomerWebhookWithManager registers the Customer validating webhook.
func SetupCustomerWebhookWithManager(mgr ctrl.Manager, cfg config.Operator) error {
	return register(mgr, &v1alpha1.Customer{}, NewCustomerValidator(cfg))
}

// NewCustomerValidator returns the Customer validator: C1 (role), C2
// (company name, with a warning for a web address), C3 (contact names),
// C4 (e-mails vs microsoft.com and the partner's domain) and R3 (reseller
// reference only for an indirect provider).
func NewCustomerValidator(cfg config.Operator) admission.Validator[*v1alpha1.Customer] {
	return &ruleValidator[*v1alpha1.Customer]{
		kind: "Customer",
		spec: func(c *v1alpha1.Customer) any { return c.Spec },
		rules: func(c, _ *v1alpha1.Customer) (field.ErrorList, []string) {
			return validation.Customer(c, cfg)
		},
	}
}
