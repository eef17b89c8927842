package pcsim

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// cartLifetime: "carts expire 7 days from initial creation" (create-a-cart, checkout pages).
const cartLifetime = 7 * 24 * time.Hour

// cartState is a cart and, once checked out, its checkout result.
type cartState struct {
	customerID string
	cart       pc.Cart
	expiresAt  time.Time
	// result is the checkout answer, returned again on every later checkout (idempotent).
	result *pc.CartCheckoutResult
}

// createCart stores a cart (201 Active, expiring in 7 days). A bad line is
// not a 400: the line carries error {errorCode, errorDescription}, as the
// SDK's CartLineItem shows, and the checkout refuses its order group.
func (s *Simulator) createCart(c *call) reply {
	st, cart, rep, ok := customerAndBody[pc.Cart](s, c)
	if !ok {
		return rep
	}
	if len(cart.LineItems) == 0 { // Choice: 800002, as an order without lines.
		return legacyError(http.StatusBadRequest, pc.CodeOrderInvalidInput, "A cart needs at least one line item.")
	}
	now := c.now
	cart.ID = s.newID()
	cart.CreationTimestamp, cart.LastModifiedTimestamp = pc.FormatTime(now), pc.FormatTime(now)
	cart.ExpirationTimestamp = pc.FormatTime(now.Add(cartLifetime))
	cart.LastModifiedUser, cart.Status = s.cfg.PartnerTenantID, pc.CartStatusActive
	cart.Attributes = json.RawMessage(`{"objectType":"Cart"}`)
	for i := range cart.LineItems {
		li := &cart.LineItems[i]
		// Choice: one order group per line (the documents give none of the grouping rules), in USD.
		li.CurrencyCode, li.OrderGroup, li.Error = "USD", strconv.Itoa(i), cartLineError(cart, *li, s.cartChoices.unavailable)
	}
	s.carts[cart.ID] = &cartState{customerID: st.customer.ID, cart: cart, expiresAt: now.Add(cartLifetime)}
	return jsonReply(http.StatusCreated, cart)
}

// cartLineError is why a line cannot be bought, or nil: a catalog item
// that is not productId:skuId:availabilityId (10001), a quantity below 1
// (10010), an item MakeUnavailable named (10003), a reseller participant without the partner-of-record
// attestation (10012).
func cartLineError(cart pc.Cart, li pc.CartLineItem, unavailable map[string]bool) *pc.CartLineError {
	switch {
	case strings.Count(li.CatalogItemID, ":") != 2:
		return &pc.CartLineError{ErrorCode: pc.CartErrorCatalogItemIDNotValid, ErrorDescription: "The catalog item ID is not valid."}
	case unavailable[li.CatalogItemID]:
		return &pc.CartLineError{ErrorCode: pc.CartErrorInventoryNotAvailable, ErrorDescription: "Inventory is not available for " + li.CatalogItemID + "."}
	case li.Quantity < 1:
		return &pc.CartLineError{ErrorCode: pc.CartErrorInvalidInput, ErrorDescription: "The quantity must be at least 1."}
	case transactionReseller(li) != "" && !cart.PartnerOnRecordAttestationAccepted:
		return &pc.CartLineError{ErrorCode: pc.CartErrorAttestationNotAccepted, ErrorDescription: "CatalogItemId requires attestation acceptance."}
	}
	return nil
}

// transactionReseller is the line's transaction_reseller participant (an MPN ID), or "".
func transactionReseller(li pc.CartLineItem) string {
	for _, p := range li.Participants {
		if p.Key == pc.ParticipantTransactionReseller {
			return p.Value
		}
	}
	return ""
}

// cartOf returns the customer's cart named in the path, or 404. Choice: an
// expired cart is gone (404), as the documents only say carts expire.
func (s *Simulator) cartOf(c *call) (*customerState, *cartState, reply, bool) {
	st, rep, ok := s.visibleCustomer(c)
	if !ok {
		return nil, nil, rep, false
	}
	id := c.r.PathValue("cartId")
	cs := s.carts[id]
	if cs == nil || cs.customerID != st.customer.ID || (cs.result == nil && !c.now.Before(cs.expiresAt)) {
		return nil, nil, notFound("Cart", id), false
	}
	return st, cs, reply{}, true
}

func (s *Simulator) getCart(c *call) reply {
	_, cs, rep, ok := s.cartOf(c)
	if !ok {
		return rep
	}
	return jsonReply(http.StatusOK, cs.cart)
}

// checkoutCart places one order per order group whose lines have no error,
// behind the same gates as POST /orders (customer approved, MCA, Active
// resellers). Gate refusals fail the whole call; a bad line fails its group
// in orderErrors. A checked-out cart answers with its original result (or 400
// 800065 after SetCheckoutConflict).
func (s *Simulator) checkoutCart(c *call) reply {
	st, cs, rep, ok := s.cartOf(c)
	if !ok {
		return rep
	}
	if cs.result != nil {
		if s.cartChoices.checkoutConflict {
			return legacyError(http.StatusBadRequest, pc.CodeCartAlreadySubmitted, "Cannot check out an already submitted cart "+cs.cart.ID+".")
		}
		return jsonReply(http.StatusCreated, cs.result)
	}
	lines := orderLinesOf(cs.cart)
	for _, check := range []func() (reply, bool){
		func() (reply, bool) { return customerGate(st) },
		func() (reply, bool) { return mcaGate(st) },
		func() (reply, bool) { return s.checkPartnersOfRecord(lines) },
	} {
		if rep, ok := check(); !ok {
			return rep
		}
	}
	result := &pc.CartCheckoutResult{Orders: []pc.Order{}}
	for i, li := range cs.cart.LineItems {
		if li.Error != nil {
			result.OrderErrors = append(result.OrderErrors, pc.OrderError{OrderGroupID: li.OrderGroup, Code: lineErrorNumbers[li.Error.ErrorCode], Description: li.Error.ErrorDescription})
			continue
		}
		order := pc.Order{ReferenceCustomerID: st.customer.ID, BillingCycle: li.BillingCycle, PartnerOnRecordAttestationAccepted: cs.cart.PartnerOnRecordAttestationAccepted}
		line := lines[i]
		line.LineItemNumber = 0
		order.LineItems = []pc.OrderLineItem{line}
		result.Orders = append(result.Orders, s.addOrder(st, order, c).order)
	}
	cs.result = result
	cs.cart.Status, cs.cart.LastModifiedTimestamp = pc.CartStatusOrdered, pc.FormatTime(c.now)
	return jsonReply(http.StatusCreated, result)
}

// lineErrorNumbers are the numbers the API documents for the line error
// codes; orderErrors carry the number (checkout sample: "code": <int>).
var lineErrorNumbers = map[pc.Code]pc.Code{
	pc.CartErrorCatalogItemIDNotValid: "10001", pc.CartErrorInventoryNotAvailable: "10003",
	pc.CartErrorSandboxLimitExceeded: "10009", pc.CartErrorInvalidInput: "10010", pc.CartErrorAttestationNotAccepted: "10012",
}

// orderLinesOf turns cart lines into order lines: the offer, the quantity,
// the term and the transaction_reseller as partner of record.
func orderLinesOf(cart pc.Cart) []pc.OrderLineItem {
	lines := make([]pc.OrderLineItem, len(cart.LineItems))
	for i, li := range cart.LineItems {
		lines[i] = pc.OrderLineItem{
			LineItemNumber: i, OfferID: li.CatalogItemID, Quantity: li.Quantity, TermDuration: li.TermDuration,
			FriendlyName: li.FriendlyName, PartnerIDOnRecord: transactionReseller(li),
		}
	}
	return lines
}

// Carts returns every cart, oldest first, for tests.
func (s *Simulator) Carts() []pc.Cart {
	var out []pc.Cart
	_ = s.locked(func(time.Time) error {
		for _, cs := range s.carts {
			out = append(out, cs.cart)
		}
		return nil
	})
	slices.SortFunc(out, func(a, b pc.Cart) int {
		ta, _ := pc.ParseTime(a.CreationTimestamp)
		tb, _ := pc.ParseTime(b.CreationTimestamp)
		return ta.Compare(tb)
	})
	return out
}

// cartChoices are cart behaviours a test switches on.
type cartChoices struct {
	// checkoutConflict answers a second checkout with 400 800065, as Partner
	// Center did before checkout became idempotent.
	checkoutConflict bool
	// unavailable are catalog items whose cart lines get inventory_not_available.
	unavailable map[string]bool
}

// SetCheckoutConflict makes a second checkout of a cart answer 400 800065
// (the older behaviour) instead of the original result.
func (s *Simulator) SetCheckoutConflict(on bool) {
	_ = s.locked(func(time.Time) error { s.cartChoices.checkoutConflict = on; return nil })
}

// MakeUnavailable makes carts refuse catalogItemID (line error inventory_not_available, 10003).
func (s *Simulator) MakeUnavailable(catalogItemID string) {
	_ = s.locked(func(time.Time) error {
		if s.cartChoices.unavailable == nil {
			s.cartChoices.unavailable = map[string]bool{}
		}
		s.cartChoices.unavailable[catalogItemID] = true
		return nil
	})
}
