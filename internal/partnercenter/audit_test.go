package partnercenter

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// auditLines are the audit lines among logged lines.
func auditLines(logged []string) []string {
	var out []string
	for _, l := range logged {
		if strings.Contains(l, auditMessage) {
			out = append(out, l)
		}
	}
	return out
}

func TestEveryChangeIsAuditedOnceAtInfoWithoutSecrets(t *testing.T) {
	const password = "Tr0ub4dor&3" // in the answer to a create: never logged
	srv := newFakeServer(t,
		reply{status: http.StatusCreated, body: `{"id":"order-1","userCredentials":{"password":"` + password + `"}}`},
		reply{status: http.StatusOK, body: `{"id":"cust-1"}`},
		reply{status: http.StatusNoContent},
		reply{status: http.StatusOK, body: `{"id":"sub-9","quantity":3,"attributes":{"etag":"e2"}}`},
		reply{status: http.StatusForbidden, body: `{"code":"600006","description":"The requested action is not allowed"}`})
	var logged []string
	sink := func(prefix, args string) { logged = append(logged, prefix+" "+args) }
	clientLog := funcr.New(sink, funcr.Options{Verbosity: 0})
	c := newTestClient(t, srv.URL, func(o *Options) { o.Logger = clientLog; o.MaxRetries = -1 })

	// A reconciler's context carries its logger, which names the object.
	reconcile := logr.NewContext(context.Background(), clientLog.WithValues("controllerKind", "wire.Subscription", "namespace", "contoso", "name", "m365-e3"))
	if _, err := c.CreateOrder(reconcile, "req-order", "cust-1", wire.Order{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetCustomer(reconcile, "cust-1"); err != nil { // a read: not audited
		t.Fatal(err)
	}
	if err := c.DeleteCustomer(context.Background(), "req-delete", "cust-2"); err != nil {
		t.Fatal(err)
	}
	sub := wire.Subscription{ID: "sub-9", Quantity: 3}
	sub.Attributes.Etag = "e1"
	if _, err := c.UpdateSubscription(reconcile, "req-update", "cust-1", sub); err != nil {
		t.Fatal(err)
	}
	var refused *Error
	if err := c.DeleteCustomer(reconcile, "req-refused", "cust-3"); !errors.As(err, &refused) {
		t.Fatalf("want Partner Center's refusal, got %v", err)
	}

	lines := auditLines(logged)
	want := []struct{ op, customer, subscription, requestID, outcome, object string }{
		{wire.OpCreateOrder, "cust-1", "", "req-order", "201", `"name"="m365-e3"`},
		{wire.OpDeleteCustomer, "cust-2", "", "req-delete", "204", ""},
		{wire.OpUpdateSubscription, "cust-1", "sub-9", "req-update", "200", `"controllerKind"="wire.Subscription"`},
		{wire.OpDeleteCustomer, "cust-3", "", "req-refused", "403", `"namespace"="contoso"`},
	}
	if len(lines) != len(want) {
		t.Fatalf("want %d audit lines, got %d:\n%s", len(want), len(lines), strings.Join(logged, "\n"))
	}
	for i, w := range want {
		for _, field := range []string{`"operation"="` + w.op + `"`, `"customerID"="` + w.customer + `"`, `"subscriptionID"="` + w.subscription + `"`,
			`"requestID"="` + w.requestID + `"`, `"outcome"="` + w.outcome + `"`, `"duration"=`, w.object} {
			if !strings.Contains(lines[i], field) {
				t.Errorf("audit line %d lacks %s: %s", i, field, lines[i])
			}
		}
	}
	for _, secret := range []string{password, testAppOnlyToken, testAppUserToken} {
		if strings.Contains(strings.Join(logged, "\n"), secret) {
			t.Errorf("a secret reached the log: %s", secret)
		}
	}
}

func TestPathIDs(t *testing.T) {
	for _, tc := range []struct{ path, customer, subscription string }{
		{"/v1/customers", "", ""},
		{"/v1/customers/c1/orders", "c1", ""},
		{"/v1/customers/c1/subscriptions/s1/supportcontact", "c1", "s1"},
		{"/providers/Microsoft.Billing/billingAccounts/default/customers/c1/policies/default", "c1", ""},
	} {
		if c, s := pathIDs(tc.path); c != tc.customer || s != tc.subscription {
			t.Errorf("pathIDs(%q) = %q, %q; want %q, %q", tc.path, c, s, tc.customer, tc.subscription)
		}
	}
}

// TestCartPurchaseIsAudited: creating and checking out a cart buy something
// (each is audited), reading a cart does not.
func TestCartPurchaseIsAudited(t *testing.T) {
	srv := newFakeServer(t,
		reply{status: http.StatusCreated, body: `{"id":"cart-1","lineItems":[]}`},
		reply{status: http.StatusOK, body: `{"id":"cart-1","lineItems":[]}`},
		reply{status: http.StatusCreated, body: `{"orders":[{"id":"order-1"}]}`})
	var logged []string
	sink := func(prefix, args string) { logged = append(logged, prefix+" "+args) }
	c := newTestClient(t, srv.URL, func(o *Options) { o.Logger = funcr.New(sink, funcr.Options{Verbosity: 0}); o.MaxRetries = -1 })
	ctx := context.Background()
	if _, err := c.CreateCart(ctx, "req-cart", "cust-1", wire.Cart{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetCart(ctx, "cust-1", "cart-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CheckoutCart(ctx, "req-checkout", "cust-1", "cart-1"); err != nil {
		t.Fatal(err)
	}
	lines := auditLines(logged)
	want := []string{wire.OpCreateCart, wire.OpCheckoutCart}
	if len(lines) != len(want) {
		t.Fatalf("want %d audit lines, got %d:\n%s", len(want), len(lines), strings.Join(logged, "\n"))
	}
	for i, op := range want {
		if !strings.Contains(lines[i], `"operation"="`+op+`"`) {
			t.Errorf("audit line %d is not %s: %s", i, op, lines[i])
		}
	}
}
