package io.ghostwatch.sql;

import org.eclipse.microprofile.config.spi.Converter;

/** Lets configuration hold {@link Identifier}s; a bad one fails start-up with an error naming the key. */
public class IdentifierConverter implements Converter<Identifier> {
    @Override
    public Identifier convert(String value) {
        return Identifier.of(value.trim());
    }
}
