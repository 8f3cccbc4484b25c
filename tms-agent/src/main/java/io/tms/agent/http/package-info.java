/**
 * The terminal API: HTTP/JSON for kiosks and bay controllers on the site LAN (Javalin). Request
 * bodies are parsed strictly, validated with field names, and every refusal is an
 * {@code application/problem+json} answer; the routes only translate, the services decide.
 */
package io.tms.agent.http;
