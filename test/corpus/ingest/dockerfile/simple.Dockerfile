FROM python:3.12-slim
RUN useradd --create-home app
WORKDIR /srv
COPY . .
USER app
EXPOSE 8000 9000/udp
CMD ["python", "-m", "app"]
