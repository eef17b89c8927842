package validation

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
)

// providerConfig is an indirect provider acting for partner.example.
var providerConfig = config.Operator{Role: config.RoleIndirectProvider, PartnerDomain: "partner.example"}

// withRole returns providerConfig with another role.
func withRole(role config.PartnerRole) config.Operator {
	cfg := providerConfig
	cfg.Role = role
	return cfg
}

// validCustomer is a new customer every rule accepts.
func validCustomer() *v1alpha1.Customer {
	return &v1alpha1.Customer{Spec: v1alpha1.CustomerSpec{
		CompanyName: "Contoso Comércio de Alimentos Ltda.",
		Domain:      "contosoalimentos",
		Email:       "financeiro@contoso-alimentos.com.br",
		PrimaryContact: &v1alpha1.Contact{
			FirstName: "João", LastName: "Conceição", Email: "joao@contoso-alimentos.com.br",
		},
	}}
}

// expectOnly fails unless errs holds exactly one error, at path, whose
// message starts with the rule ID.
func expectOnly(t *testing.T, errs field.ErrorList, path, rule string) {
	t.Helper()
	if len(errs) != 1 {
		t.Fatalf("want exactly one %s error at %s, got %d: %v", rule, path, len(errs), errs)
	}
	if errs[0].Field != path {
		t.Errorf("error at %q, want %q: %v", errs[0].Field, path, errs[0])
	}
	if !strings.HasPrefix(errs[0].Detail, rule+": ") {
		t.Errorf("message %q does not start with %q", errs[0].Detail, rule+": ")
	}
}

// expectNone fails if errs holds any error.
func expectNone(t *testing.T, errs field.ErrorList) {
	t.Helper()
	if len(errs) != 0 {
		t.Fatalf("want no error, got %v", errs)
	}
}
