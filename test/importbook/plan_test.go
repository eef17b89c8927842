package importbook

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
	"github.com/cspforge/partnercenter-operator/internal/plan"
	"github.com/cspforge/partnercenter-operator/internal/status"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

// offers of the plan test.
const (
	businessBasic    = "CFQ7TTC0LH18:0001:CFQ7TTC0K59J"
	businessStandard = "CFQ7TTC0LDPB:0001:CFQ7TTC0K5BF"
)

func TestPlanSaysWhatApplyingWouldDoAndWritesNothing(t *testing.T) {
	gomega.RegisterTestingT(t)
	ctx := context.Background()
	seeded, err := pcsim.SeedOverHTTP(ctx, env.SimulatorURL(), pcsim.Book{Customers: []pcsim.BookCustomer{{
		CompanyName: "Northwind Traders", MCASignedDirectly: true,
		Subscriptions: []pcsim.BookSubscription{{OfferID: businessBasic, Quantity: 5, TermDuration: "P1Y"}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	tenant, subID := seeded.CustomerIDs[0], seeded.SubscriptionIDs[0][0]
	ns := testenv.NewNamespace(env.Client, "plan-")

	// What the cluster already holds: the adopted customer and subscription.
	northwind := &v1alpha1.Customer{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1alpha1.GroupVersion.String(), Kind: "Customer"},
		ObjectMeta: metav1.ObjectMeta{Name: "northwind", Namespace: ns},
		Spec:       v1alpha1.CustomerSpec{ExistingCustomerTenantID: tenant, CompanyName: "Northwind Traders"},
	}
	m365 := &v1alpha1.Subscription{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1alpha1.GroupVersion.String(), Kind: "Subscription"},
		ObjectMeta: metav1.ObjectMeta{Name: "northwind-basic", Namespace: ns},
		Spec: v1alpha1.SubscriptionSpec{
			CustomerRef: v1alpha1.LocalObjectReference{Name: "northwind"}, OfferID: businessBasic, Quantity: 5, TermDuration: "P1Y", SubscriptionID: subID,
		},
	}
	for _, obj := range []client.Object{northwind.DeepCopy(), m365.DeepCopy()} {
		if err := env.Client.Create(ctx, obj); err != nil {
			t.Fatal(err)
		}
		testenv.Eventually(env.Client, obj.(status.Object), func(o status.Object) bool { return status.IsTrue(o, v1alpha1.ConditionReady) }, "not Ready")
	}

	// The directory: unchanged, changed, new and invalid objects.
	changed := m365.DeepCopy()
	changed.Spec.Quantity = 8
	newSub := m365.DeepCopy()
	newSub.Name, newSub.Spec.OfferID, newSub.Spec.Quantity, newSub.Spec.SubscriptionID = "northwind-standard", businessStandard, 3, ""
	newCustomer := &v1alpha1.Customer{
		TypeMeta:   northwind.TypeMeta,
		ObjectMeta: metav1.ObjectMeta{Name: "fabrikam"},
		Spec: v1alpha1.CustomerSpec{
			CompanyName: "Fabrikam BV", Domain: "fabrikamplan", Email: "billing@fabrikam.example",
			Address:        &v1alpha1.Address{AddressLine1: "Herengracht 1", City: "Amsterdam", PostalCode: "1015 BA", Country: "NL"},
			PrimaryContact: &v1alpha1.Contact{FirstName: "Anna", LastName: "de Vries", Email: "anna@fabrikam.example"},
		},
	}
	forNewCustomer := newSub.DeepCopy()
	forNewCustomer.Name, forNewCustomer.Spec.CustomerRef.Name = "fabrikam-standard", "fabrikam"
	noTaxID := newCustomer.DeepCopy() // C6 (CEL): a Brazilian company needs its registration ID and phone
	noTaxID.Name, noTaxID.Spec.Domain = "contoso-brasil", "contosobrplan"
	noTaxID.Spec.Address = &v1alpha1.Address{AddressLine1: "Avenida Paulista 1000", City: "São Paulo", State: "SP", PostalCode: "01310-100", Country: "BR"}
	zero := newSub.DeepCopy() // the schema (dry run): at least one licence
	zero.Name, zero.Spec.Quantity = "northwind-none", 0
	partnerEmail := newCustomer.DeepCopy() // C4 (the webhook): not an e-mail of the partner's own domain
	partnerEmail.Name, partnerEmail.Spec.Domain, partnerEmail.Spec.Email = "litware", "litwareplan", "billing@partner.example"
	observed := newSub.DeepCopy() // Observe: what Manage would do, and that nothing is done
	observed.Name, observed.Spec.ManagementPolicy = "northwind-standard-observed", v1alpha1.ManagementPolicyObserve
	twice := m365.DeepCopy() // I1: one subscription is adopted by one Subscription only
	twice.Name = "northwind-basic-again"
	unchanged := northwind.DeepCopy()
	dir := t.TempDir()
	for file, obj := range map[string]client.Object{
		"northwind/customer.yaml": unchanged, "northwind/basic.yaml": changed, "northwind/standard.yaml": newSub, "northwind/observed.yaml": observed, "northwind/again.yaml": twice,
		"fabrikam/customer.yaml": newCustomer, "fabrikam/standard.yaml": forNewCustomer,
		"invalid/contoso-brasil.yaml": noTaxID, "invalid/litware.yaml": partnerEmail, "invalid/zero.yaml": zero,
	} {
		obj.SetNamespace("")
		obj.SetResourceVersion("")
		raw, err := yaml.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, file)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, file), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	before := clusterVersions(t, env.Client, ns)
	writes := env.Sim.WriteCalls()
	objects, err := plan.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Make(ctx, plan.Inputs{
		Cluster: env.Client, PartnerCenter: env.PC, Namespace: ns,
		Operator: config.Operator{Role: config.RoleIndirectProvider, PartnerDomain: "partner.example", Clock: env.Clock},
	}, objects)
	if err != nil {
		t.Fatal(err)
	}
	md := p.Markdown()
	t.Log("\n" + md)

	byName := map[string]plan.Entry{}
	for _, e := range p.Entries {
		byName[e.Kind+"/"+e.Name] = e
	}
	for _, tc := range []struct {
		object, cluster, partnerCenter, waitsFor, refusal string
	}{
		{"Customer/northwind", plan.Unchanged, "nothing", "", ""},
		{"Subscription/northwind-basic", plan.Changed, "change quantity 5 → 8", "", ""},
		{"Subscription/northwind-standard", plan.New, "buy 3 licences of " + businessStandard, "", ""},
		{"Subscription/northwind-standard-observed", plan.New, "nothing else (Observe): Manage would buy 3 licences of " + businessStandard, "", ""},
		{"Subscription/northwind-basic-again", plan.New, "refuses the adoption (I1): Subscription northwind-basic already records subscription " + subID, "", ""},
		{"Customer/fabrikam", plan.New, "create customer fabrikamplan.onmicrosoft.com", "", ""},
		{"Subscription/fabrikam-standard", plan.New, "buy 3 licences of " + businessStandard, "CustomerNotCreated: S4: waiting for Customer \"fabrikam\"", ""},
		{"Customer/contoso-brasil", plan.Refused, "nothing", "", "C6: a company in BR needs both companyRegistrationID"},
		{"Customer/litware", plan.Refused, "nothing", "", "C4"},
		{"Subscription/northwind-none", plan.Refused, "nothing", "", "spec.quantity"},
	} {
		e, ok := byName[tc.object]
		switch {
		case !ok:
			t.Errorf("%s is not in the plan", tc.object)
		case e.Cluster != tc.cluster:
			t.Errorf("%s: cluster %q, want %q (%s)", tc.object, e.Cluster, tc.cluster, e.Refusal)
		case !strings.Contains(strings.Join(e.PartnerCenter, "; "), tc.partnerCenter):
			t.Errorf("%s: Partner Center %q, want it to say %q", tc.object, e.PartnerCenter, tc.partnerCenter)
		case !strings.Contains(e.WaitsFor, tc.waitsFor) || (tc.waitsFor == "" && e.WaitsFor != ""):
			t.Errorf("%s: waits for %q, want %q", tc.object, e.WaitsFor, tc.waitsFor)
		case !strings.Contains(e.Refusal, tc.refusal):
			t.Errorf("%s: refusal %q, want it to say %q", tc.object, e.Refusal, tc.refusal)
		}
		if ok && !strings.Contains(md, "| "+tc.object+" |") {
			t.Errorf("the markdown has no row for %s", tc.object)
		}
	}
	if !strings.Contains(md, "5 new, 1 changed, 1 unchanged, 3 refused") {
		t.Errorf("the markdown summary is wrong:\n%s", md)
	}
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back plan.Plan
	if err := json.Unmarshal(raw, &back); err != nil || len(back.Entries) != len(p.Entries) {
		t.Fatalf("the JSON output does not read back: %v", err)
	}

	time.Sleep(time.Second) // a write the plan set off would show by now
	if got := env.Sim.WriteCalls(); got != writes {
		t.Errorf("the plan made %d writes to Partner Center", got-writes)
	}
	if after := clusterVersions(t, env.Client, ns); !maps.Equal(before, after) {
		t.Errorf("the plan changed the cluster: %v → %v", before, after)
	}
}

// clusterVersions are the resourceVersions of this API's objects in ns.
func clusterVersions(t *testing.T, c client.Client, ns string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, list := range []client.ObjectList{&v1alpha1.CustomerList{}, &v1alpha1.MCAAttestationList{}, &v1alpha1.ResellerPartnershipList{}, &v1alpha1.SubscriptionList{}} {
		if err := c.List(context.Background(), list, client.InNamespace(ns)); err != nil {
			t.Fatal(err)
		}
		for _, obj := range items(t, list) {
			out[obj.GetName()] = obj.GetResourceVersion()
		}
	}
	return out
}
