package validation

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
)

// badCustomers are Customers each breaking exactly one admission rule.
var badCustomers = []struct {
	name   string
	role   config.PartnerRole
	mutate func(*v1alpha1.Customer)
	path   string
	rule   string
}{
	{"C1 reseller creates a tenant", config.RoleIndirectReseller, func(*v1alpha1.Customer) {}, "spec.domain", "C1"},
	{"C2 single character", "", setCompany("A"), "spec.companyName", "C2"},
	{"C2 single CJK character", "", setCompany("王"), "spec.companyName", "C2"},
	{"C2 only special characters", "", setCompany("!@#$%"), "spec.companyName", "C2"},
	{"C2 only spaces", "", setCompany("    "), "spec.companyName", "C2"},
	{"C2 only tabs", "", setCompany("\t\t"), "spec.companyName", "C2"},
	{"C2 spaced digits", "", setCompany("1 2 3"), "spec.companyName", "C2"},
	{"C2 spaced letters", "", setCompany("A B C D"), "spec.companyName", "C2"},
	{"C2 LLC alone", "", setCompany("LLC"), "spec.companyName", "C2"},
	{"C2 Inc. alone", "", setCompany("Inc."), "spec.companyName", "C2"},
	{"C2 Ltda alone", "", setCompany("Ltda"), "spec.companyName", "C2"},
	{"C2 GmbH alone", "", setCompany("GmbH"), "spec.companyName", "C2"},
	{"C2 B.V. alone", "", setCompany("B.V."), "spec.companyName", "C2"},
	{"C2 S.A. alone", "", setCompany("S.A."), "spec.companyName", "C2"},
	{"C2 repeated digit", "", setCompany("999"), "spec.companyName", "C2"},
	{"C2 repeated letter", "", setCompany("aaaa"), "spec.companyName", "C2"},
	{"C2 test", "", setCompany("test"), "spec.companyName", "C2"},
	{"C2 Test Company", "", setCompany("Test Company"), "spec.companyName", "C2"},
	{"C2 test company ltd", "", setCompany("TEST COMPANY LTD."), "spec.companyName", "C2"},
	{"C2 asdf", "", setCompany("asdf"), "spec.companyName", "C2"},
	{"C2 Company Inc only generic", "", setCompany("Company Inc."), "spec.companyName", "C2"},
	{"C2 longer than 255", "", setCompany(strings.Repeat("Contoso ", 32)), "spec.companyName", "C2"},
	{"C3 single letter first name", "", setFirstName("J"), "spec.primaryContact.firstName", "C3"},
	{"C3 single letter last name", "", setLastName("S"), "spec.primaryContact.lastName", "C3"},
	{"C3 placeholder test", "", setFirstName("Test"), "spec.primaryContact.firstName", "C3"},
	{"C3 placeholder admin", "", setFirstName("admin"), "spec.primaryContact.firstName", "C3"},
	{"C3 placeholder nobody", "", setLastName("Nobody"), "spec.primaryContact.lastName", "C3"},
	{"C3 placeholder n/a", "", setLastName("N/A"), "spec.primaryContact.lastName", "C3"},
	{"C3 longer than 40", "", setLastName(strings.Repeat("Silva", 9)), "spec.primaryContact.lastName", "C3"},
	{"C3 only digits", "", setFirstName("12345"), "spec.primaryContact.firstName", "C3"},
	{"C3 only punctuation", "", setFirstName("...-"), "spec.primaryContact.firstName", "C3"},
	{"C3 only emoji", "", setFirstName("😀😀"), "spec.primaryContact.firstName", "C3"},
	{"C3 non-printable", "", setLastName("Silva\u0000"), "spec.primaryContact.lastName", "C3"},
	{"C4 no at sign", "", setEmail("financeiro.contoso.com"), "spec.email", "C4"},
	{"C4 no domain", "", setEmail("financeiro@"), "spec.email", "C4"},
	{"C4 no top-level domain", "", setEmail("financeiro@localhost"), "spec.email", "C4"},
	{"C4 display name", "", setEmail("Ana <ana@contoso.com>"), "spec.email", "C4"},
	{"C4 microsoft.com", "", setEmail("someone@microsoft.com"), "spec.email", "C4"},
	{"C4 microsoft.com subdomain", "", setEmail("someone@SALES.Microsoft.com"), "spec.email", "C4"},
	{"C4 partner domain", "", setEmail("ops@partner.example"), "spec.email", "C4"},
	{"C4 partner subdomain", "", setEmail("ops@mail.partner.example"), "spec.email", "C4"},
	{"C4 contact in microsoft.com", "", setContactEmail("joao@microsoft.com"), "spec.primaryContact.email", "C4"},
	{"C4 contact invalid", "", setContactEmail("joao@@contoso.com"), "spec.primaryContact.email", "C4"},
	{"R3 DirectBill names a reseller", config.RoleDirectBill, func(c *v1alpha1.Customer) {
		c.Spec.IndirectResellerRef = &v1alpha1.LocalObjectReference{Name: "fabrikam"}
	}, "spec.indirectResellerRef", "R3"},
}

func setCompany(name string) func(*v1alpha1.Customer) {
	return func(c *v1alpha1.Customer) { c.Spec.CompanyName = name }
}

func setFirstName(name string) func(*v1alpha1.Customer) {
	return func(c *v1alpha1.Customer) { c.Spec.PrimaryContact.FirstName = name }
}

func setLastName(name string) func(*v1alpha1.Customer) {
	return func(c *v1alpha1.Customer) { c.Spec.PrimaryContact.LastName = name }
}

func setEmail(email string) func(*v1alpha1.Customer) {
	return func(c *v1alpha1.Customer) { c.Spec.Email = email }
}

func setContactEmail(email string) func(*v1alpha1.Customer) {
	return func(c *v1alpha1.Customer) { c.Spec.PrimaryContact.Email = email }
}

func TestCustomerRefusesEachBadCustomer(t *testing.T) {
	if len(badCustomers) < 30 {
		t.Fatalf("the table must hold at least 30 bad customers, has %d", len(badCustomers))
	}
	for _, tc := range badCustomers {
		t.Run(tc.name, func(t *testing.T) {
			c := validCustomer()
			tc.mutate(c)
			cfg := providerConfig
			if tc.role != "" {
				cfg = withRole(tc.role)
			}
			errs, _ := Customer(c, cfg)
			expectOnly(t, errs, tc.path, tc.rule)
		})
	}
}

func TestCustomerAcceptsGoodCustomers(t *testing.T) {
	cases := []struct {
		name   string
		role   config.PartnerRole
		mutate func(*v1alpha1.Customer)
	}{
		{"Brazilian names with accents", config.RoleDirectBill, func(*v1alpha1.Customer) {}},
		{"CJK single-character names", "", func(c *v1alpha1.Customer) {
			c.Spec.CompanyName = "北京科技有限公司"
			c.Spec.PrimaryContact.FirstName, c.Spec.PrimaryContact.LastName = "伟", "王"
		}},
		{"Korean and Japanese single characters", "", func(c *v1alpha1.Customer) {
			c.Spec.PrimaryContact.FirstName, c.Spec.PrimaryContact.LastName = "민", "ア"
		}},
		{"two-letter company and names with apostrophe and hyphen", "", func(c *v1alpha1.Customer) {
			c.Spec.CompanyName = "3M"
			c.Spec.PrimaryContact.FirstName, c.Spec.PrimaryContact.LastName = "Anne-Marie", "O'Brien"
		}},
		{"Dutch company with legal form", "", func(c *v1alpha1.Customer) { c.Spec.CompanyName = "Bakkerij de Vries B.V." }},
		{"company whose name contains test", "", func(c *v1alpha1.Customer) { c.Spec.CompanyName = "Testa Engenharia S.A." }},
		{"company with digits and ampersand", "", func(c *v1alpha1.Customer) { c.Spec.CompanyName = "A&B 2000 Serviços Ltda" }},
		{"exactly 40-character last name", "", setLastName(strings.Repeat("Oliveira", 5))},
		{"exactly 255-character company name", "", setCompany(strings.Repeat("x", 250) + " Ltda")},
		{"reseller adopting an existing customer", config.RoleIndirectReseller, func(c *v1alpha1.Customer) {
			c.Spec = v1alpha1.CustomerSpec{ExistingCustomerTenantID: "0f0e4bc4-1a4b-4c1e-8bd1-8e2c3d6f1a90"}
		}},
		{"provider naming a reseller", config.RoleIndirectProvider, func(c *v1alpha1.Customer) {
			c.Spec.IndirectResellerRef = &v1alpha1.LocalObjectReference{Name: "fabrikam"}
		}},
		{"no partner domain configured", "", func(c *v1alpha1.Customer) { c.Spec.Email = "ops@partner.example.org" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := validCustomer()
			tc.mutate(c)
			cfg := providerConfig
			if tc.role != "" {
				cfg = withRole(tc.role)
			}
			errs, warnings := Customer(c, cfg)
			expectNone(t, errs)
			if len(warnings) != 0 {
				t.Errorf("want no warning, got %v", warnings)
			}
		})
	}
}

func TestCustomerReportsEveryViolationAtOnce(t *testing.T) {
	c := validCustomer()
	c.Spec.CompanyName = "LLC"
	c.Spec.Email = "x@microsoft.com"
	c.Spec.PrimaryContact.FirstName = "admin"
	errs, _ := Customer(c, withRole(config.RoleIndirectReseller))
	want := []string{"spec.domain", "spec.companyName", "spec.email", "spec.primaryContact.firstName"}
	if len(errs) != len(want) {
		t.Fatalf("want %d errors, got %v", len(want), errs)
	}
	for i, path := range want {
		if errs[i].Field != path {
			t.Errorf("error %d at %s, want %s", i, errs[i].Field, path)
		}
	}
	if msg := Message(errs); !strings.Contains(msg, "C1: ") || !strings.Contains(msg, "C4: ") {
		t.Errorf("Message %q does not name the rules", msg)
	}
}

func TestC1PartnerRoleMayCreate(t *testing.T) {
	path := field.NewPath("spec", "domain")
	errs := PartnerRoleMayCreate(path, config.RoleIndirectReseller, "contoso")
	expectOnly(t, errs, "spec.domain", "C1")
	if !strings.Contains(errs[0].Detail, "existingCustomerTenantID") {
		t.Errorf("C1 message should point at existingCustomerTenantID: %q", errs[0].Detail)
	}
	expectNone(t, PartnerRoleMayCreate(path, config.RoleIndirectReseller, ""))
	expectNone(t, PartnerRoleMayCreate(path, config.RoleDirectBill, "contoso"))
	expectNone(t, PartnerRoleMayCreate(path, config.RoleIndirectProvider, "contoso"))
}

func TestC2CompanyName(t *testing.T) {
	path := field.NewPath("spec", "companyName")
	for _, bad := range []string{"A", "!!", " \t ", "1 2 3", "LLC", "Inc.", "Ltd", "GmbH", "BV", "SA", "Ltda", "999", "test", "test company", "asdf", strings.Repeat("a", 256)} {
		errs, _ := CompanyName(path, bad)
		expectOnly(t, errs, "spec.companyName", "C2")
	}
	for _, good := range []string{"Contoso Ltd", "Padaria São João Ltda.", "3M", "Fabrikam GmbH & Co. KG"} {
		errs, warnings := CompanyName(path, good)
		expectNone(t, errs)
		if len(warnings) != 0 {
			t.Errorf("%q: want no warning, got %v", good, warnings)
		}
	}
}

func TestC2CompanyNameWithDomainSuffixIsAcceptedWithWarning(t *testing.T) {
	for _, name := range []string{"Contoso.com", "Loja Virtual.com.br Ltda", "fabrikam.io"} {
		c := validCustomer()
		c.Spec.CompanyName = name
		errs, warnings := Customer(c, providerConfig)
		expectNone(t, errs)
		if len(warnings) != 1 || !strings.HasPrefix(warnings[0], "C2: ") {
			t.Errorf("%q: want one C2 warning, got %v", name, warnings)
		}
	}
}

func TestC3ContactName(t *testing.T) {
	path := field.NewPath("spec", "primaryContact", "firstName")
	for _, bad := range []string{"", "J", "test", "Admin", "nobody", "n/a", "123", "?!", "🙂", strings.Repeat("a", 41)} {
		expectOnly(t, ContactName(path, bad), "spec.primaryContact.firstName", "C3")
	}
	for _, good := range []string{"王", "李", "Jo", "José", "Ng", "María José", "D'Ávila"} {
		expectNone(t, ContactName(path, good))
	}
}

func TestC4CustomerEmail(t *testing.T) {
	path := field.NewPath("spec", "email")
	for _, bad := range []string{"plain", "a@b", "a@b_c.com", "a@microsoft.com", "a@eu.microsoft.com", "a@partner.example", "a@x.partner.example"} {
		expectOnly(t, CustomerEmail(path, bad, "partner.example"), "spec.email", "C4")
	}
	for _, good := range []string{"ana@contoso.com", "ana@notmicrosoft.com", "ana@microsoft.com.br", "ana@otherpartner.example"} {
		expectNone(t, CustomerEmail(path, good, "partner.example"))
	}
}

func TestC6RegistrationIDFormat(t *testing.T) {
	path := field.NewPath("spec", "companyRegistrationID")
	for _, bad := range []string{"AB.1", "1234", "12 345 678", "12.345.678/0001-90", "123456789012345678901", "12345_678"} {
		expectOnly(t, RegistrationIDFormat(path, bad, "BR"), "spec.companyRegistrationID", "C6")
	}
	for _, good := range []string{"12345678000190", "7707083893", "AB-1234/5", ""} {
		expectNone(t, RegistrationIDFormat(path, good, "BR"))
	}
	// Elsewhere the ID is optional and Partner Center does not check its format.
	expectNone(t, RegistrationIDFormat(path, "AB.1", "US"))

	c := validCustomer()
	c.Spec.Address = &v1alpha1.Address{AddressLine1: "Avenida Paulista 1000", City: "São Paulo", State: "SP", PostalCode: "01310-100", Country: "BR"}
	c.Spec.CompanyRegistrationID, c.Spec.PhoneNumber = "AB.1", "+55 11 5555 0100"
	errs, _ := Customer(c, providerConfig)
	expectOnly(t, errs, "spec.companyRegistrationID", "C6")
}
