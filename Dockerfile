FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PRECHECK_CACHE_DIR=/var/cache/precheck
WORKDIR /app
COPY . /app
# The same install script CI runs: Debian packages (LibreOffice, CJK fonts) and the Python package;
# the browser only the tests use is left out.
ENV PRECHECK_VENV=/opt/precheck PATH=/opt/precheck/bin:$PATH
RUN PRECHECK_TEST_TOOLS=0 bash .ci/install.sh && rm -rf /var/lib/apt/lists/* /root/.cache/pip
ENTRYPOINT ["precheck"]
# `docker run -p 8000:8000 -v precheck:/data IMAGE` serves the reviewers; `IMAGE check …` checks one bundle
ENV PRECHECK_DATA_DIR=/data
EXPOSE 8000
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
