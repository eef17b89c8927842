package v1alpha1

import (
	"k8s.io/apimachinery/pkg/util/validation/field"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/validation"
)

// +kubebuilder:webhook:path=/validate-partnercenter-csp-dev-v1alpha1-resellerpartnership,mutating=false,failurePolicy=fail,sideEffects=None,groups=partnercenter.csp.dev,resources=resellerpartnerships,verbs=create;update,versions=v1alpha1,name=vresellerpartnership-v1alpha1.partnercenter.csp.dev,admissionReviewVersions=v1

// SetupResellerPartnershipWebhookWithManager registers the ResellerPartnership validating webhook.
func SetupResellerPartnershipWebhookWithManager(mgr ctrl.Manager, cfg config.Operator) error {
	return register(mgr, &v1alpha1.ResellerPartnership{}, NewResellerPartnershipValidator(cfg))
}

// NewResellerPartnershipValidator returns the ResellerPartnership
// validator: R1 (only an indirect provider partners with resellers), and a
// warning when no resellerEmail is given for a partnership that may need a request (R2).
func NewResellerPartnershipValidator(cfg config.Operator) admission.Validator[*v1alpha1.ResellerPartnership] {
	return &ruleValidator[*v1alpha1.ResellerPartnership]{
		kind: "ResellerPartnership",
		spec: func(rp *v1alpha1.ResellerPartnership) any { return rp.Spec },
		rules: func(rp, _ *v1alpha1.ResellerPartnership) (field.ErrorList, []string) {
			return validation.ResellerPartnership(rp, cfg), validation.ResellerEmailWarnings(rp)
		},
	}
}
