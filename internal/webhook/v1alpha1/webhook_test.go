package v1alpha1

import (
	"context"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
)

// now is the webhook clock of the tests: 2026-03-10 UTC.
var now = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// operator returns the operator configuration with role and the test clock.
func operator(role config.PartnerRole) config.Operator {
	return config.Operator{Role: role, PartnerDomain: "partner.example", Clock: clocktesting.NewFakePassiveClock(now)}
}

var ctx = context.Background()

// expectInvalid fails unless err is an Invalid error whose causes are at
// exactly the given field paths, each message starting with its rule ID.
func expectInvalid(t *testing.T, err error, pathRules ...string) {
	t.Helper()
	if !apierrors.IsInvalid(err) {
		t.Fatalf("want an Invalid error, got %v", err)
	}
	causes := err.(apierrors.APIStatus).Status().Details.Causes
	if len(causes) != len(pathRules)/2 {
		t.Fatalf("want %d causes, got %v", len(pathRules)/2, causes)
	}
	for i, cause := range causes {
		path, rule := pathRules[2*i], pathRules[2*i+1]
		if cause.Field != path || !strings.Contains(cause.Message, rule+": ") {
			t.Errorf("cause %d = %s %q, want %s with %s", i, cause.Field, cause.Message, path, rule)
		}
	}
}

// expectAdmitted fails if err is not nil.
func expectAdmitted(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("want admitted, got %v", err)
	}
}

func newCustomer() *v1alpha1.Customer {
	return &v1alpha1.Customer{
		ObjectMeta: metav1.ObjectMeta{Name: "contoso", Namespace: "default"},
		Spec: v1alpha1.CustomerSpec{
			CompanyName: "Contoso Ltda.",
			Domain:      "contosobr",
			Email:       "ti@contoso.com.br",
			PrimaryContact: &v1alpha1.Contact{
				FirstName: "Maria", LastName: "Gonçalves", Email: "maria@contoso.com.br",
			},
		},
	}
}

func TestCustomerWebhookRefusesWithEveryViolation(t *testing.T) {
	c := newCustomer()
	c.Spec.CompanyName = "asdf"
	c.Spec.Email = "ti@microsoft.com"
	c.Spec.PrimaryContact.LastName = "X"
	_, err := NewCustomerValidator(operator(config.RoleIndirectReseller)).ValidateCreate(ctx, c)
	expectInvalid(t, err,
		"spec.domain", "C1",
		"spec.companyName", "C2",
		"spec.email", "C4",
		"spec.primaryContact.lastName", "C3")
	if !strings.Contains(err.Error(), `Customer.partnercenter.csp.dev "contoso" is invalid`) {
		t.Errorf("error does not name the object: %v", err)
	}
}

func TestCustomerWebhookAdmitsAndWarns(t *testing.T) {
	v := NewCustomerValidator(operator(config.RoleDirectBill))
	warnings, err := v.ValidateCreate(ctx, newCustomer())
	expectAdmitted(t, err)
	if len(warnings) != 0 {
		t.Errorf("want no warnings, got %v", warnings)
	}
	c := newCustomer()
	c.Spec.CompanyName = "Contoso.com"
	warnings, err = v.ValidateCreate(ctx, c)
	expectAdmitted(t, err)
	if len(warnings) != 1 || !strings.HasPrefix(warnings[0], "C2: ") {
		t.Errorf("want one C2 warning, got %v", warnings)
	}
}

func TestCustomerWebhookValidatesTheNewObjectOnUpdate(t *testing.T) {
	v := NewCustomerValidator(operator(config.RoleDirectBill))
	old, updated := newCustomer(), newCustomer()
	updated.Spec.Email = "ops@partner.example"
	_, err := v.ValidateUpdate(ctx, old, updated)
	expectInvalid(t, err, "spec.email", "C4")
}

func TestWebhookLetsMetadataOnlyUpdatesAndDeletionThrough(t *testing.T) {
	// Admitted under IndirectProvider; the operator now runs as a reseller (C1 would refuse a create).
	v := NewCustomerValidator(operator(config.RoleIndirectReseller))
	old, updated := newCustomer(), newCustomer()
	updated.Finalizers = []string{v1alpha1.Finalizer}
	_, err := v.ValidateUpdate(ctx, old, updated)
	expectAdmitted(t, err)

	deleting := newCustomer()
	deleting.DeletionTimestamp = &metav1.Time{Time: now}
	deleting.Spec.CompanyName = "Contoso Comércio Ltda."
	_, err = v.ValidateUpdate(ctx, old, deleting)
	expectAdmitted(t, err)

	_, err = v.ValidateDelete(ctx, old)
	expectAdmitted(t, err)
}

func attestation(dateAgreed string) *v1alpha1.MCAAttestation {
	return &v1alpha1.MCAAttestation{
		ObjectMeta: metav1.ObjectMeta{Name: "contoso-mca", Namespace: "default"},
		Spec: v1alpha1.MCAAttestationSpec{
			CustomerRef: v1alpha1.LocalObjectReference{Name: "contoso"},
			Method:      v1alpha1.MethodPartnerAttestation,
			AcceptedBy:  &v1alpha1.AcceptingPerson{FirstName: "Maria", LastName: "Gonçalves", Email: "maria@contoso.com.br"},
			DateAgreed:  dateAgreed,
		},
	}
}

func TestM2MCAAttestationWebhookRefusesResellerAttestation(t *testing.T) {
	_, err := NewMCAAttestationValidator(operator(config.RoleIndirectReseller)).ValidateCreate(ctx, attestation("2026-03-01"))
	expectInvalid(t, err, "spec.method", "M2")
	if !strings.Contains(err.Error(), "indirect provider must attest") {
		t.Errorf("M2 message should say the indirect provider must attest: %v", err)
	}
	direct := attestation("")
	direct.Spec.Method, direct.Spec.AcceptedBy = v1alpha1.MethodDirectAcceptance, nil
	_, err = NewMCAAttestationValidator(operator(config.RoleIndirectReseller)).ValidateCreate(ctx, direct)
	expectAdmitted(t, err)
}

func TestM3MCAAttestationWebhookRefusesFutureDate(t *testing.T) {
	v := NewMCAAttestationValidator(operator(config.RoleIndirectProvider))
	_, err := v.ValidateCreate(ctx, attestation("2026-03-11"))
	expectInvalid(t, err, "spec.dateAgreed", "M3")
	_, err = v.ValidateCreate(ctx, attestation("2026-03-10"))
	expectAdmitted(t, err)

	// Changing the date to a future one is refused.
	_, err = v.ValidateUpdate(ctx, attestation("2026-03-10"), attestation("2026-04-01"))
	expectInvalid(t, err, "spec.dateAgreed", "M3")
}

func TestM3MCAAttestationWebhookSkipsUnchangedDateOnUpdate(t *testing.T) {
	// The date was admitted by a clock that was later than the webhook's now.
	old, updated := attestation("2026-03-12"), attestation("2026-03-12")
	updated.Spec.TemplateID = "117a1cf4-e2f3-4a6e-8ed0-c4c4f7e5b1b0"
	_, err := NewMCAAttestationValidator(operator(config.RoleIndirectProvider)).ValidateUpdate(ctx, old, updated)
	expectAdmitted(t, err)
	// The role rule still runs on a spec change.
	_, err = NewMCAAttestationValidator(operator(config.RoleIndirectReseller)).ValidateUpdate(ctx, old, updated)
	expectInvalid(t, err, "spec.method", "M2")
}

func partnership() *v1alpha1.ResellerPartnership {
	return &v1alpha1.ResellerPartnership{
		ObjectMeta: metav1.ObjectMeta{Name: "fabrikam", Namespace: "default"},
		Spec:       v1alpha1.ResellerPartnershipSpec{ResellerMPNID: "1234567", ResellerEmail: "ops@fabrikam.com"},
	}
}

func TestR1ResellerPartnershipWebhookNeedsIndirectProvider(t *testing.T) {
	for _, role := range []config.PartnerRole{config.RoleDirectBill, config.RoleIndirectReseller} {
		_, err := NewResellerPartnershipValidator(operator(role)).ValidateCreate(ctx, partnership())
		expectInvalid(t, err, "spec.resellerMPNID", "R1")
	}
	_, err := NewResellerPartnershipValidator(operator(config.RoleIndirectProvider)).ValidateCreate(ctx, partnership())
	expectAdmitted(t, err)

	old, updated := partnership(), partnership()
	updated.Spec.RemovalConfirmation = "CHG-1234 approved by the CFO"
	_, err = NewResellerPartnershipValidator(operator(config.RoleDirectBill)).ValidateUpdate(ctx, old, updated)
	expectInvalid(t, err, "spec.resellerMPNID", "R1")
}

func TestR3SubscriptionWebhookResellerRefsNeedIndirectProvider(t *testing.T) {
	s := &v1alpha1.Subscription{
		ObjectMeta: metav1.ObjectMeta{Name: "m365", Namespace: "default"},
		Spec: v1alpha1.SubscriptionSpec{
			CustomerRef:       v1alpha1.LocalObjectReference{Name: "contoso"},
			OfferID:           "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P",
			Quantity:          5,
			ResellerRef:       &v1alpha1.LocalObjectReference{Name: "fabrikam"},
			SupportContactRef: &v1alpha1.LocalObjectReference{Name: "fabrikam"},
		},
	}
	_, err := NewSubscriptionValidator(operator(config.RoleDirectBill)).ValidateCreate(ctx, s)
	expectInvalid(t, err, "spec.resellerRef", "R3", "spec.supportContactRef", "R3")
	_, err = NewSubscriptionValidator(operator(config.RoleIndirectProvider)).ValidateCreate(ctx, s)
	expectAdmitted(t, err)
}

// TestR2ResellerPartnershipWebhookWarnsWithoutEmail: resellerEmail is optional
// (an imported active partnership has none, I1), so admission admits it, with
// a warning naming the stall a request without it meets.
func TestR2ResellerPartnershipWebhookWarnsWithoutEmail(t *testing.T) {
	rp := partnership()
	rp.Spec.ResellerEmail = ""
	warnings, err := NewResellerPartnershipValidator(operator(config.RoleIndirectProvider)).ValidateCreate(ctx, rp)
	expectAdmitted(t, err)
	if len(warnings) != 1 || !strings.Contains(warnings[0], "ResellerEmailMissing") {
		t.Fatalf("warnings = %q, want one naming ResellerEmailMissing", warnings)
	}
	warnings, err = NewResellerPartnershipValidator(operator(config.RoleIndirectProvider)).ValidateCreate(ctx, partnership())
	expectAdmitted(t, err)
	if len(warnings) != 0 {
		t.Fatalf("a partnership with an e-mail got warnings %q", warnings)
	}
}
