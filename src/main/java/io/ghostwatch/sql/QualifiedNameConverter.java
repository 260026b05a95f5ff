package io.ghostwatch.sql;

import org.eclipse.microprofile.config.spi.Converter;

/** Lets configuration hold {@link QualifiedName}s; a bad one fails start-up with an error naming the key. */
public class QualifiedNameConverter implements Converter<QualifiedName> {
    @Override
    public QualifiedName convert(String value) {
        return QualifiedName.parse(value);
    }
}
