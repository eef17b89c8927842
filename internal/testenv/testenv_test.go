package testenv_test

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
	webhookv1alpha1 "github.com/cspforge/partnercenter-operator/internal/webhook/v1alpha1"
)

// TestAdmissionThroughTheAPIServer starts the real control plane with every
// validating webhook, as a DirectBill operator, and checks that what kubectl
// apply would send is refused by the webhooks with the rule in the message,
// and that a good object is admitted. It also proves the environment's
// Partner Center client reaches the simulator over HTTP.
func TestAdmissionThroughTheAPIServer(t *testing.T) {
	env := testenv.StartForTest(t, testenv.Options{
		Role:          config.RoleDirectBill,
		PartnerDomain: "partner.example",
		Setup: func(mgr ctrl.Manager, deps controller.Deps) error {
			return webhookv1alpha1.SetupWebhooksWithManager(mgr, deps.Config)
		},
		WebhookResources: []string{"customers", "mcaattestations", "resellerpartnerships", "subscriptions"},
	})
	ctx := context.Background()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "admission"}}
	if err := env.Client.Create(ctx, ns); err != nil {
		t.Fatal(err)
	}

	customer := func(name, company, email string) *v1alpha1.Customer {
		return &v1alpha1.Customer{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns.Name, Name: name},
			Spec: v1alpha1.CustomerSpec{
				CompanyName: company, Domain: name, Email: email,
				Address:        &v1alpha1.Address{AddressLine1: "1 Main St", City: "Redmond", State: "WA", PostalCode: "98052", Country: "US"},
				PrimaryContact: &v1alpha1.Contact{FirstName: "Ana", LastName: "Lopez"},
			},
		}
	}
	future := env.Clock.Now().Add(72 * time.Hour).Format(time.DateOnly)
	cases := []struct {
		reason string
		obj    client.Object
		want   []string // every violation is reported at once
	}{
		{"C2 and C4 together: a test name and a microsoft.com e-mail",
			customer("testco", "test company", "billing@microsoft.com"), []string{"spec.companyName", "C2", "spec.email", "C4"}},
		{"C4: an e-mail in the partner's own domain",
			customer("partnerco", "Fabrikam Inc", "someone@partner.example"), []string{"spec.email", "C4"}},
		{"M3: a dateAgreed in the future", &v1alpha1.MCAAttestation{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns.Name, Name: "future"},
			Spec: v1alpha1.MCAAttestationSpec{
				CustomerRef: v1alpha1.LocalObjectReference{Name: "fabrikam"}, Method: v1alpha1.MethodPartnerAttestation,
				AcceptedBy: &v1alpha1.AcceptingPerson{FirstName: "Ana", LastName: "Lopez", Email: "ana@fabrikam.example"},
				DateAgreed: future,
			}}, []string{"spec.dateAgreed", "M3"}},
		{"C6: a registration ID not of Partner Center's format (it would answer 600050)", func() *v1alpha1.Customer {
			c := customer("brazilco", "Fabrikam Comercio Ltda", "billing@fabrikam.example")
			c.Spec.Address = &v1alpha1.Address{AddressLine1: "Avenida Paulista 1000", City: "Sao Paulo", State: "SP", PostalCode: "01310-100", Country: "BR"}
			c.Spec.CompanyRegistrationID, c.Spec.PhoneNumber = "AB.1", "+55 11 5555 0100"
			return c
		}(), []string{"spec.companyRegistrationID", "C6", "600050"}},
		{"C5: a line break in an address line", func() *v1alpha1.Customer {
			c := customer("linebreak", "Fabrikam Inc", "billing@fabrikam.example")
			c.Spec.Address.AddressLine1 = "1 Main St\nApt 2"
			return c
		}(), []string{"spec.address.addressLine1", "C5", "line break"}},
		{"C3: a placeholder as the MCA signatory's name", &v1alpha1.MCAAttestation{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns.Name, Name: "placeholder"},
			Spec: v1alpha1.MCAAttestationSpec{
				CustomerRef: v1alpha1.LocalObjectReference{Name: "fabrikam"}, Method: v1alpha1.MethodPartnerAttestation,
				AcceptedBy: &v1alpha1.AcceptingPerson{FirstName: "Test", LastName: "Lopez", Email: "ana@fabrikam.example"},
				DateAgreed: env.Clock.Now().Format(time.DateOnly),
			}}, []string{"spec.acceptedBy.firstName", "C3"}},
		{"R1: a DirectBill partner has no indirect resellers", &v1alpha1.ResellerPartnership{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns.Name, Name: "reseller"},
			Spec:       v1alpha1.ResellerPartnershipSpec{ResellerMPNID: "4847383", ResellerEmail: "p@reseller.example"},
		}, []string{"R1", "IndirectProvider"}},
	}
	for _, tc := range cases {
		t.Run(tc.reason, func(t *testing.T) {
			err := env.Client.Create(ctx, tc.obj)
			if err == nil {
				t.Fatal("admitted; want refused by the webhook")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("refusal %q does not mention %q", err, w)
				}
			}
		})
	}

	if err := env.Client.Create(ctx, customer("fabrikam", "Fabrikam Inc", "billing@fabrikam.example")); err != nil {
		t.Fatalf("a valid customer was refused: %v", err)
	}
	free, err := env.PC.CheckDomainAvailable(ctx, "fabrikam.onmicrosoft.com")
	if err != nil || !free {
		t.Fatalf("simulator over HTTP: domain free = %v, err %v", free, err)
	}
}
