/** The edge↔cloud wire contract. Each version lives in its own package ({@code v1}, ...). */
package io.tms.protocol;
