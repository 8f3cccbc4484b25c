/**
 * Driver authorization at the gate (DESIGN §2 step 1): every check answers with a deny code, and an
 * approval says what each compartment may load. Pure rules over a {@link
 * io.tms.domain.authorization.AuthorizationFacts} port that the site store implements.
 */
package io.tms.domain.authorization;
