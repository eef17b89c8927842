package validation

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
)

// attestationNow is late on 2026-03-10 in UTC (already 2026-03-11 east of UTC).
var attestationNow = time.Date(2026, 3, 10, 23, 30, 0, 0, time.UTC)

func partnerAttestation(dateAgreed string) *v1alpha1.MCAAttestation {
	return &v1alpha1.MCAAttestation{Spec: v1alpha1.MCAAttestationSpec{
		CustomerRef: v1alpha1.LocalObjectReference{Name: "contoso"},
		Method:      v1alpha1.MethodPartnerAttestation,
		AcceptedBy:  &v1alpha1.AcceptingPerson{FirstName: "Ana", LastName: "Souza", Email: "ana@contoso.com"},
		DateAgreed:  dateAgreed,
	}}
}

func TestM2PartnerMayAttest(t *testing.T) {
	path := field.NewPath("spec", "method")
	errs := PartnerMayAttest(path, v1alpha1.MethodPartnerAttestation, config.RoleIndirectReseller)
	expectOnly(t, errs, "spec.method", "M2")
	expectNone(t, PartnerMayAttest(path, v1alpha1.MethodDirectAcceptance, config.RoleIndirectReseller))
	expectNone(t, PartnerMayAttest(path, v1alpha1.MethodPartnerAttestation, config.RoleDirectBill))
	expectNone(t, PartnerMayAttest(path, v1alpha1.MethodPartnerAttestation, config.RoleIndirectProvider))
}

func TestM3DateAgreedNotInFuture(t *testing.T) {
	path := field.NewPath("spec", "dateAgreed")
	for _, bad := range []string{"2026-03-11", "2027-01-01", "2026-02-30", "2026-13-01", "2026-3-1", "yesterday"} {
		expectOnly(t, DateAgreedNotInFuture(path, bad, attestationNow), "spec.dateAgreed", "M3")
	}
	// At UTC+3 (Moscow) the same instant is already the 11th: UTC decides.
	east := attestationNow.In(time.FixedZone("UTC+3", 3*3600))
	expectOnly(t, DateAgreedNotInFuture(path, "2026-03-11", east), "spec.dateAgreed", "M3")
	for _, good := range []string{"2026-03-10", "2026-03-09", "2024-02-29", ""} {
		expectNone(t, DateAgreedNotInFuture(path, good, attestationNow))
	}
}

func TestMCAAttestationRunsEveryRule(t *testing.T) {
	errs := MCAAttestation(partnerAttestation("2026-04-01"), withRole(config.RoleIndirectReseller), attestationNow)
	if len(errs) != 2 || errs[0].Field != "spec.method" || errs[1].Field != "spec.dateAgreed" {
		t.Fatalf("want M2 and M3 errors, got %v", errs)
	}
	expectNone(t, MCAAttestation(partnerAttestation("2026-03-10"), providerConfig, attestationNow))
	expectOnly(t, MCAAttestationExceptDate(partnerAttestation("2026-04-01"), withRole(config.RoleIndirectReseller)), "spec.method", "M2")
	expectNone(t, MCAAttestationExceptDate(partnerAttestation("2026-04-01"), providerConfig))
}

func TestC3MCASignatoryNames(t *testing.T) {
	for _, bad := range []string{"J", "test", "Admin", "n/a", "123", "🙂"} {
		first := partnerAttestation("2026-03-10")
		first.Spec.AcceptedBy.FirstName = bad
		expectOnly(t, MCAAttestation(first, providerConfig, attestationNow), "spec.acceptedBy.firstName", "C3")
		last := partnerAttestation("2026-03-10")
		last.Spec.AcceptedBy.LastName = bad
		expectOnly(t, MCAAttestationExceptDate(last, providerConfig), "spec.acceptedBy.lastName", "C3")
	}
	cjk := partnerAttestation("2026-03-10")
	cjk.Spec.AcceptedBy.FirstName, cjk.Spec.AcceptedBy.LastName = "王", "李"
	expectNone(t, MCAAttestation(cjk, providerConfig, attestationNow))
}
